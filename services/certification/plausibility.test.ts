import { describe, expect, it } from 'vitest'
import { CPU_SPREAD_FLOOR, GPU_SPREAD_FLOOR, plausibilityFlags, type PlausibilityInput } from './plausibility.ts'

const TiB = 2 ** 40
const GiB = 2 ** 30

// This platform's CI VM as its runner registers it: /proc/cpuinfo says "AMD EPYC", two vCPUs, and
// of the fingerprint's features these.
const thisMachine = {
  cpu: {
    model: 'AMD EPYC',
    cores: 2,
    threads: 2,
    features: ['sse4_2', 'avx', 'avx2', 'fma', 'f16c', 'avx512f', 'avx512bw', 'avx512_vnni', 'avx_vnni', 'avx512_bf16'],
  },
  memoryBytes: 23 * GiB,
  gpus: [],
}
// pp512 and tg128 with about 1% spread, on two threads.
const honestRecords = [
  { n_prompt: 512, n_gen: 0, samples_ts: [101.2, 99.1, 100.4, 98.7, 100.9], n_threads: 2, backends: 'CPU' },
  { n_prompt: 0, n_gen: 128, samples_ts: [31.9, 32.3, 31.6, 32.0, 32.5], n_threads: 2, backends: 'CPU' },
]
const honest: PlausibilityInput = { records: honestRecords, registered: thisMachine, backend: 'CPU' }

// The attacker's fingerprint: a "64-core" Xeon with AVX-512 and AMX and 1 TiB of memory.
const attackerCpu = (model: string) => ({
  model,
  cores: 64,
  threads: 128,
  features: ['avx2', 'avx512f', 'avx512bw', 'avx512_vnni', 'avx512_bf16', 'amx_tile', 'amx_int8'],
})

const flagsOf = (input: Partial<PlausibilityInput>) => plausibilityFlags({ ...honest, ...input })
const kinds = (input: Partial<PlausibilityInput>) => flagsOf(input).map((f) => f.flag)

describe('plausibility flags', () => {
  it('raises nothing for an honest run on this machine, a VM that names only its CPU family', () => {
    expect(plausibilityFlags(honest)).toEqual([])
  })

  it('sends a test whose samples are all identical to review, with the value', () => {
    const flags = flagsOf({
      records: [{ n_prompt: 512, n_gen: 0, samples_ts: Array(5).fill(812.5), n_threads: 2 }, honestRecords[1]!],
    })
    expect(flags).toEqual([
      {
        flag: 'identical samples',
        detail: expect.stringMatching(/^pp512: all 5 samples are 812.5 t\/s/),
      },
    ])
  })

  it('sends a spread below the backend’s floor to review, and keeps a quiet machine’s spread', () => {
    // A quiet machine's published spread: pp512 72.31 ± 0.02 t/s (0.028%).
    const quiet = [72.29, 72.33, 72.31, 72.28, 72.34]
    // Fabricated jitter: ±0.0006% (coefficient of variation 5.1e-6).
    const jitter = [100, 100.0006, 99.9994, 100.0004, 99.9996]
    const record = (samples_ts: number[]) => [{ n_prompt: 512, n_gen: 0, samples_ts, n_threads: 2 }]
    expect(kinds({ records: record(quiet) })).toEqual([])
    const flags = flagsOf({ records: record(jitter) })
    expect(flags).toEqual([
      {
        flag: 'spread floor',
        detail: expect.stringMatching(/^pp512: the 5 samples spread by 0\.00051% .* below the 0\.001% .* CPU runs/),
      },
    ])
    // A GPU run is held to the lower floor, which this jitter clears.
    expect(GPU_SPREAD_FLOOR).toBeLessThan(CPU_SPREAD_FLOOR)
    expect(kinds({ records: record(jitter), backend: 'cuda' })).toEqual([])
  })

  it('flags a test run on more threads than the runner registered', () => {
    const flags = flagsOf({ records: [{ ...honestRecords[1]!, n_threads: 4 }] })
    expect(flags).toEqual([
      { flag: 'threads', detail: 'tg128 ran on 4 threads, more than the 2 hardware threads the runner registered' },
    ])
  })

  it('takes the attacker’s claims on a real Xeon 8592+ (64 cores, AMX, 1 TiB), but not on a made-up CPU', () => {
    const real = { cpu: attackerCpu('Intel(R) Xeon(R) Platinum 8592+'), memoryBytes: 1 * TiB }
    expect(kinds({ registered: real })).toEqual([])
    const madeUp = { cpu: attackerCpu('Quantum Xeon 9999'), memoryBytes: 1 * TiB }
    expect(flagsOf({ registered: madeUp })).toEqual([
      {
        flag: 'declared hardware',
        detail: expect.stringContaining('the registered CPU "Quantum Xeon 9999" is not in the CPU catalogue'),
      },
    ])
  })

  it('flags features the catalogued CPU lacks: AMX on an AMD EPYC', () => {
    const cpu = { ...attackerCpu('AMD EPYC 9654 96-Core Processor') }
    const [flag, ...rest] = flagsOf({ registered: { cpu, memoryBytes: 1 * TiB } })
    expect(rest).toEqual([])
    expect(flag).toEqual({
      flag: 'declared hardware',
      detail: expect.stringMatching(/^registered instruction-set features amx_tile, amx_int8 that the AMD EPYC 9004/),
    })
  })

  it('flags more cores, threads or memory than the chip has, and lets a VM report fewer', () => {
    const m2 = (cores: number, memoryBytes: number) => ({
      cpu: { model: 'Apple M2', cores, threads: cores, features: [] },
      memoryBytes,
    })
    expect(kinds({ registered: m2(4, 8 * GiB), records: [] })).toEqual([])
    const flags = flagsOf({ registered: m2(64, 1 * TiB), records: [] })
    expect(flags.map((f) => f.detail)).toEqual([
      expect.stringMatching(/^64 cores registered, more than the 8 of the Apple M2 \(https:/),
      expect.stringMatching(/^64 hardware threads registered, more than the 8 of the Apple M2/),
      expect.stringMatching(/^1 TiB of memory registered, more than the 24 GiB the Apple M2 .* takes at most$/),
    ])
    // A two-socket Genoa server: 192 cores is 96 per socket.
    const genoa = { cpu: { model: 'AMD EPYC 9654 96-Core Processor', cores: 192, threads: 384 } }
    expect(kinds({ registered: genoa, records: [] })).toEqual([])
    expect(flagsOf({ registered: { cpu: { ...genoa.cpu, cores: 193 } }, records: [] })[0]?.detail).toContain(
      '96 per socket in up to 2 sockets (192)',
    )
  })

  it('bounds the memory of a CPU it does not know by the largest catalogued system', () => {
    const flags = flagsOf({ registered: { cpu: { model: 'Quantum Xeon 9999' }, memoryBytes: 64 * TiB }, records: [] })
    expect(flags.map((f) => f.detail)).toEqual([
      expect.stringContaining('not in the CPU catalogue'),
      expect.stringMatching(/^64 TiB of memory registered, more than the 48 TiB of the largest catalogued system$/),
    ])
  })
})
