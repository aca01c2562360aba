import { cpuCatalogue, cpuCatalogued, type CpuSpec } from './cpu-catalogue.ts'

/**
 * Whether a result looks like a measurement of the hardware the runner registered, or like numbers
 * written by hand. An attacker registered a made-up fingerprint (a "64-core" CPU with AVX-512 and
 * AMX, 1 TiB of memory) and uploaded five identical samples per test. Nothing here refuses: each
 * flag sends the result to a certification engineer's review instead of to a badge, with the
 * figures that raised it.
 *
 * The spread floor. Honest repetitions differ: timer resolution, frequency, caches and the
 * scheduler see to it. How little they can differ was measured with the runner's own llama-bench
 * (coefficient of variation: sample standard deviation / mean of samples_ts):
 *   DATA_DIR=/tmp/spreadfloor UV_THREADPOOL_SIZE=1 npx tsx bench/cpu-spread-floor.ts
 * on this project's 2-vCPU "AMD EPYC" (Zen 5) VM, 2026-12, while other engineers' jobs held its load
 * at 3-9 (their share of the CPU during the samples, 0-78%, only widens a spread; the minimum counts),
 * CI-class and 1B-class Q4_0 synthesized as the platform does:
 *   - 2 threads, 6 runs of pp64/tg16 × 5 repetitions (the runner adds up to 20 while the spread
 *     exceeds 2%) on the CI-class model and 3 runs × 3 on 1B: 18 tests, CV 1.66%-78%;
 *   - 1 thread, 3 runs × 5 on each model: 12 tests, CV 1.15%-33%;
 *   - 1 thread, 2 runs of pp512/tg128 × 5 on 1B (a badge run's tests): CV 12.6%-21.9%; with
 *     2 threads under that load the first pp512 did not finish in 25 minutes.
 * Lowest measured here: 1.15%. A floor of a quarter of it (0.29%) would refuse quiet machines, which
 * are far steadier than this VM. llama-bench's published tables (± is the same sample standard
 * deviation, rounded to 0.01 t/s) go much lower on CPUs:
 *   - Radxa Dragon Q8B, 8 threads (https://github.com/geerlingguy/ai-benchmarks/issues/54):
 *     pp4096+tg128 116.17 ± 0.01 t/s, a CV of 0.004%-0.013%; 3B pp512 72.31 ± 0.02, 0.021%-0.035%;
 *   - Core i3-1315U, 2 threads (https://github.com/geerlingguy/sbc-reviews/issues/107):
 *     pp4096+tg128 22.55 ± 0.01 t/s, 0.022%-0.067%.
 * So the CPU floor is a quarter of the lowest honest spread known: 0.004% / 4 = 0.001% (1e-5).
 * GPU backends: NOT measured here (no GPU on this machine). Published CUDA tables reach 0.07%
 * (tg128 98.13 ± 0.07 t/s, RTX 4090, ggml-org/llama.cpp#4766) and a GPU kernel's timing is steadier
 * than a CPU thread pool's, so the GPU floor is set lower still, a quarter of the CPU's, until a
 * GPU run measures it.
 */
export const CPU_SPREAD_FLOOR = 1e-5
export const GPU_SPREAD_FLOOR = CPU_SPREAD_FLOOR / 4

/** The largest memory of any catalogued system, for a CPU the catalogue does not know. */
export const MEMORY_CEILING_BYTES = Math.max(...cpuCatalogue.map((c) => c.maxMemoryBytes * c.maxSockets))

export interface Flag {
  flag: 'identical samples' | 'spread floor' | 'threads' | 'declared hardware'
  detail: string
}

export interface PlausibilityInput {
  records: { n_prompt: number; n_gen: number; samples_ts: number[]; n_threads?: number; backends?: string }[]
  registered: {
    cpu?: { model?: string; cores?: number; threads?: number; features?: string[] }
    memoryBytes?: number
    gpus?: string[]
  }
  /** What the runner says ran ("CPU", "cuda", "metal"...), as physical-bounds.ts reads it. */
  backend: string
}

const isCpu = (backend: string) => /^(cpu)?$/i.test(backend.trim())
const testName = (r: { n_prompt: number; n_gen: number }) =>
  r.n_prompt && r.n_gen ? `pp${r.n_prompt}+tg${r.n_gen}` : r.n_prompt ? `pp${r.n_prompt}` : `tg${r.n_gen}`
const percent = (x: number) => `${Number((x * 100).toPrecision(2))}%`
const bytes = (n: number) =>
  n >= 2 ** 40 ? `${Number((n / 2 ** 40).toFixed(2))} TiB` : `${Number((n / 2 ** 30).toFixed(1))} GiB`

export function plausibilityFlags(input: PlausibilityInput): Flag[] {
  return [...sampleFlags(input), ...threadFlags(input), ...declaredHardwareFlags(input.registered)]
}

function sampleFlags(input: PlausibilityInput): Flag[] {
  const flags: Flag[] = []
  for (const r of input.records) {
    const xs = r.samples_ts
    if (xs.length < 2) continue
    const test = testName(r)
    if (xs.every((x) => x === xs[0])) {
      flags.push({
        flag: 'identical samples',
        detail:
          `${test}: all ${xs.length} samples are ${xs[0]} t/s; repetitions of a real run never agree to ` +
          'every digit',
      })
      continue
    }
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length
    const cv = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1)) / mean
    if (!Number.isFinite(cv) || mean <= 0) continue
    // The stricter floor when either the job or the record says CPU.
    const cpu = isCpu(input.backend) || (r.backends !== undefined && isCpu(r.backends))
    const floor = cpu ? CPU_SPREAD_FLOOR : GPU_SPREAD_FLOOR
    if (cv < floor)
      flags.push({
        flag: 'spread floor',
        detail:
          `${test}: the ${xs.length} samples spread by ${percent(cv)} (sample standard deviation / mean), ` +
          `below the ${percent(floor)} that honest ${cpu ? 'CPU' : 'GPU'} runs stay above`,
      })
  }
  return flags
}

function threadFlags({ records, registered }: PlausibilityInput): Flag[] {
  const hardware = registered.cpu?.threads ?? registered.cpu?.cores
  if (!hardware) return []
  return records
    .filter((r) => r.n_threads !== undefined && r.n_threads > hardware)
    .map((r) => ({
      flag: 'threads' as const,
      detail:
        `${testName(r)} ran on ${r.n_threads} threads, more than the ${hardware} hardware threads the runner ` +
        'registered',
    }))
}

function declaredHardwareFlags(registered: PlausibilityInput['registered']): Flag[] {
  const flags: Flag[] = []
  const flag = (detail: string) => flags.push({ flag: 'declared hardware', detail })
  const { cpu, memoryBytes } = registered
  const spec = cpu?.model ? cpuCatalogued(cpu.model) : undefined
  if (!cpu?.model) flag('the runner registered no CPU model, so nothing it measured can be held against a chip')
  else if (!spec)
    flag(
      `the registered CPU "${cpu.model}" is not in the CPU catalogue: a certification engineer adds it with its ` +
        'published figures and source, or the fingerprint describes no real chip',
    )
  if (cpu?.cores !== undefined && cpu.threads !== undefined && cpu.cores > cpu.threads)
    flag(`${cpu.cores} cores registered but only ${cpu.threads} hardware threads; a core runs at least one`)
  if (spec) {
    const system = (n: number) =>
      spec.maxSockets > 1 ? `${n} per socket in up to ${spec.maxSockets} sockets (${n * spec.maxSockets})` : `${n}`
    if (cpu?.cores !== undefined && cpu.cores > spec.maxCores * spec.maxSockets)
      flag(`${cpu.cores} cores registered, more than the ${system(spec.maxCores)} of ${described(spec)}`)
    if (cpu?.threads !== undefined && cpu.threads > spec.maxThreads * spec.maxSockets)
      flag(`${cpu.threads} hardware threads registered, more than the ${system(spec.maxThreads)} of ${described(spec)}`)
    const foreign = (cpu?.features ?? []).filter((f) => !spec.isa.includes(f))
    if (foreign.length)
      flag(
        `registered instruction-set features ${foreign.join(', ')} that ${described(spec)} does not have ` +
          `(it has ${spec.isa.join(', ')})`,
      )
  }
  const ceiling = spec ? spec.maxMemoryBytes * spec.maxSockets : MEMORY_CEILING_BYTES
  if (memoryBytes !== undefined && memoryBytes > ceiling)
    flag(
      `${bytes(memoryBytes)} of memory registered, more than ` +
        (spec
          ? `the ${bytes(ceiling)} ${described(spec)} takes at most`
          : `the ${bytes(ceiling)} of the largest catalogued system`),
    )
  return flags
}

const described = (spec: CpuSpec) => `the ${spec.name} (${spec.source})`
