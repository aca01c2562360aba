import type { ModelWorkload } from '../../certification-lab/synthesize-model.ts'
import { catalogued, type DeviceSpec } from './device-catalogue.ts'

/**
 * What the hardware that ran can physically do, from the platform's own figures: the catalogue for
 * GPUs and SoCs, and for a CPU a generous ceiling from the runner's registered core count and
 * instruction set (not the runner's memcpy, which is its word). Both tests are bounded:
 *  - bandwidth: a generated token reads every weight but token_embd, plus the KV cache so far;
 *  - compute: a token costs at least 2 operations per multiply-add of the layers (and of the
 *    output layer for tg; llama-bench's pp computes it for the last token only).
 * Measured above bound × MARGIN is refused; every result states its efficiency (measured / bound).
 */
export const MARGIN = 1.1
/**
 * Within the bound but above this share of it is rare for llama.cpp (its best GPU decode reads
 * memory at roughly 70-85% of the published bandwidth): held for an engineer to look at, not refused.
 */
export const REVIEW_EFFICIENCY = 0.9
/** A clock no shipping CPU core sustains. */
const CPU_CLOCK_CEILING_HZ = 6e9
/** Generous per-core DRAM streaming ceiling and the largest two-socket 12-channel DDR5 system. */
const CPU_BANDWIDTH_PER_CORE = 100e9
const CPU_BANDWIDTH_CEILING = 2e12
/** Largest last-level cache per core shipping (3D V-Cache parts carry ~12 MiB per core). */
const CPU_CACHE_PER_CORE = 16 * 2 ** 20

export interface Fingerprint {
  cpu?: { model?: string; cores?: number; features?: string[] }
  gpus?: string[]
}

interface Device {
  label: string
  bandwidth: number
  /** Operations per second for batch-1 decode (tg) and for batched prompt processing (pp). */
  decodeOps: number
  promptOps: number
  cacheBytes: number
  basis: string
}

/** Integer operations per cycle per core of the widest vector and matrix units the CPU reports. */
function cpuOpsPerCycle(features: string[]): { vector: number; matrix: number } {
  const has = (f: string) => features.includes(f)
  const vector = [...features].some((f) => f.startsWith('avx512'))
    ? 256
    : has('i8mm') || has('sve') || has('sve2')
      ? 256
      : has('avx2') || has('avx_vnni') || has('asimd') || has('asimddp')
        ? 128
        : 64
  // A tile unit multiplies 16 rows at once: batch-1 decode fills one, so it counts for pp only.
  return { vector, matrix: has('amx_int8') ? 2048 : vector }
}

function cpuDevice(f: Fingerprint): Device {
  const cores = Math.max(1, f.cpu?.cores ?? 1)
  const ops = cpuOpsPerCycle(f.cpu?.features ?? [])
  const soc = /^Apple M/i.test(f.cpu?.model ?? '') ? catalogued(f.cpu!.model!) : undefined
  const bandwidth = soc?.bandwidthBytesPerSecond ?? Math.min(CPU_BANDWIDTH_CEILING, cores * CPU_BANDWIDTH_PER_CORE)
  return {
    label: `${f.cpu?.model ?? 'CPU'} (${cores} cores)`,
    bandwidth,
    decodeOps: cores * CPU_CLOCK_CEILING_HZ * ops.vector,
    promptOps: cores * CPU_CLOCK_CEILING_HZ * ops.matrix,
    cacheBytes: soc?.cacheBytes ?? cores * CPU_CACHE_PER_CORE,
    basis:
      (soc ? `${soc.name} unified memory (${soc.source})` : `${cores} cores × ${CPU_BANDWIDTH_PER_CORE / 1e9} GB/s`) +
      `; ${cores} cores × 6 GHz × ${ops.vector} (decode) / ${ops.matrix} (prompt) operations per cycle`,
  }
}

function gpuDevice(specs: DeviceSpec[]): Device {
  const sum = (pick: (d: DeviceSpec) => number) => specs.reduce((n, d) => n + pick(d), 0)
  return {
    label: specs.map((d) => d.name).join(' + '),
    bandwidth: sum((d) => d.bandwidthBytesPerSecond),
    decodeOps: sum((d) => d.peakOpsPerSecond),
    promptOps: sum((d) => d.peakOpsPerSecond),
    cacheBytes: sum((d) => d.cacheBytes),
    basis: `published peaks: ${specs.map((d) => d.source).join(', ')}`,
  }
}

export interface BoundCheck {
  check: string
  ok: boolean
  detail: string
  review?: boolean
}

const rate = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1))
const si = (x: number, unit: string) =>
  x >= 1e12
    ? `${(x / 1e12).toFixed(1)} T${unit}`
    : x >= 1e9
      ? `${(x / 1e9).toFixed(1)} G${unit}`
      : `${rate(x / 1e6)} M${unit}`

/**
 * The bandwidth and compute checks of one result. `backend` is what the runner says ran; a GPU
 * backend is checked against the registered runner's GPUs in the catalogue, and one the catalogue
 * lacks is refused rather than checked against the host (claiming the CPU only tightens the bound).
 */
export function physicalBoundChecks(input: {
  workload: ModelWorkload
  /** For a partner's own model: the size is the partner's word, and the badge says so. */
  partnerDeclared?: boolean
  registered: Fingerprint
  backend: string
  pp?: { n: number; ts: number }
  tg?: { n: number; ts: number }
}): BoundCheck[] {
  const { workload: w, registered } = input
  let device: Device
  if (/^(cpu)?$/i.test(input.backend.trim())) device = cpuDevice(registered)
  else {
    const gpus = registered.gpus ?? []
    const specs = gpus.map(catalogued).filter((s): s is DeviceSpec => Boolean(s))
    if (!gpus.length || specs.length < gpus.length)
      return [
        {
          check: 'device',
          ok: false,
          detail:
            `the ${input.backend} backend ran on ${gpus.join(' + ') || 'no GPU the runner registered'}, which the ` +
            'device catalogue lacks: it is not checked against host memory. Certification adds its published ' +
            'bandwidth and FLOPs, with their source, and the job runs again',
        },
      ]
    device = gpuDevice(specs)
  }
  const checks: BoundCheck[] = []
  const declared = input.partnerDeclared ? ' (partner-declared)' : ''
  if (input.tg) {
    // Bytes per generated token: the weights plus the f16 KV cache read at the mean depth of the run.
    const kv = 2 * w.nLayer * w.nEmbdKv * 2 * ((input.tg.n - 1) / 2)
    const bytes = w.weightBytesPerToken + kv
    const bound = device.bandwidth / bytes
    if (w.weightBytesPerToken < 2 * device.cacheBytes) {
      checks.push({
        check: 'bandwidth bound',
        ok: true,
        detail:
          `not applicable: ${rate(w.weightBytesPerToken / 2 ** 20)} MiB of weights${declared} could sit in the ` +
          `${rate(device.cacheBytes / 2 ** 20)} MiB of cache of ${device.label}; the compute bound applies`,
      })
    } else {
      const efficiency = input.tg.ts / bound
      checks.push({
        check: 'bandwidth bound',
        ok: efficiency <= MARGIN,
        detail:
          `tg${input.tg.n} ${rate(input.tg.ts)} t/s is ${(efficiency * 100).toFixed(0)}% of the bound ` +
          `${rate(bound)} t/s: ${si(bytes, 'B')}${declared} read per token from ${si(device.bandwidth, 'B/s')} on ` +
          `${device.label} (${device.basis})` +
          (efficiency > MARGIN ? `: faster than memory allows (at most ${Math.round(MARGIN * 100)}%)` : ''),
      })
    }
  }
  // At least two operations per multiply-add; attention is left out, which only loosens the bound.
  const perToken = (n: number, output: boolean) =>
    2 * (n > 0 ? w.layerParameters + (output ? w.outputParameters : 0) : 0)
  const parts: string[] = []
  let ok = true
  for (const [name, m, ops, output] of [
    ['pp', input.pp, device.promptOps, false],
    ['tg', input.tg, device.decodeOps, true],
  ] as const) {
    if (!m) continue
    const bound = ops / perToken(m.n, output)
    const efficiency = m.ts / bound
    ok &&= efficiency <= MARGIN
    parts.push(
      `${name}${m.n} ${rate(m.ts)} t/s is ${(efficiency * 100).toFixed(efficiency < 0.01 ? 3 : 1)}% of ` +
        `${rate(bound)} t/s (${si(perToken(m.n, output), 'op')}/token at ${si(ops, 'op/s')})` +
        (efficiency > MARGIN ? ': more arithmetic than the device can do' : ''),
    )
  }
  if (parts.length)
    checks.push({
      check: 'compute bound',
      ok,
      detail: `${parts.join('; ')}; ${device.label}${declared}: ${device.basis}`,
    })
  // What the bounds allow but honest llama.cpp rarely reaches: one flag for the engineer, with the figures.
  const near = checks.filter((c) => c.ok && efficiencies(c.detail).some((e) => e > REVIEW_EFFICIENCY))
  if (near.length)
    checks.push({
      check: 'efficiency',
      ok: true,
      review: true,
      detail:
        `above ${REVIEW_EFFICIENCY * 100}% of what the hardware allows, which llama.cpp rarely reaches: ` +
        near.map((c) => `${c.check}: ${c.detail}`).join('; '),
    })
  return checks
}

/** The percentages a bound's detail states ("… is 93% of the bound …"), as fractions. */
const efficiencies = (detail: string) => [...detail.matchAll(/ is ([\d.]+)% of /g)].map((m) => Number(m[1]) / 100)

/** A partner's model, known by its size only: every byte a weight (at most 4 bytes per parameter). */
export function declaredWorkload(bytes: number): ModelWorkload {
  return {
    nVocab: 0,
    nLayer: 0,
    nEmbdKv: 0,
    weightBytesPerToken: bytes,
    layerParameters: bytes / 4,
    outputParameters: 0,
  }
}
