import { describe, expect, it } from 'vitest'
import { modelWorkload, shapes } from '../../certification-lab/synthesize-model.ts'
import { catalogued } from './device-catalogue.ts'
import { physicalBoundChecks } from './physical-bounds.ts'

// 1 GB of weights per token; 16 layers of 512 KV columns: 2 × 16 × 512 × 2 bytes × 64 (mean depth
// of tg129) = 2,097,152 bytes of KV cache. On an H100 SXM (3.35 TB/s): 3.35e12 / 1,002,097,152 =
// 3,342.99 t/s; the margin allows 110%, 3,677 t/s.
const workload = {
  nVocab: 32000,
  nLayer: 16,
  nEmbdKv: 512,
  weightBytesPerToken: 1e9,
  layerParameters: 1e9,
  outputParameters: 0,
}
const h100 = { cpu: { model: 'AMD EPYC', cores: 2, features: ['avx2'] }, gpus: ['NVIDIA H100 80GB HBM3'] }

describe('physical bounds', () => {
  it('bounds tg by the catalogued GPU bandwidth, not the host, with a 10% margin', () => {
    const at = (ts: number) =>
      physicalBoundChecks({ workload, registered: h100, backend: 'CUDA', tg: { n: 129, ts } }).find(
        (c) => c.check === 'bandwidth bound',
      )!
    expect(at(3600)).toMatchObject({
      ok: true,
      detail: expect.stringMatching(/^tg129 3600 t\/s is 108% of the bound 3343 t\/s/),
    })
    expect(at(3700)).toMatchObject({ ok: false, detail: expect.stringContaining('faster than memory allows') })
  })

  it('flags for review what the bound allows but llama.cpp rarely reaches (above 90% of it)', () => {
    const flags = (ts: number) =>
      physicalBoundChecks({ workload, registered: h100, backend: 'CUDA', tg: { n: 129, ts } }).filter((c) => c.review)
    expect(flags(2500)).toEqual([]) // 75%: what llama.cpp's best GPU decode reaches
    expect(flags(3100)).toEqual([
      {
        check: 'efficiency',
        ok: true,
        review: true,
        detail: expect.stringMatching(
          /^above 90% of what the hardware allows.*bandwidth bound: tg129 3100 t\/s is 93%/,
        ),
      },
    ])
  })

  it('bounds pp by the device’s arithmetic: two operations per multiply-add of the layers', () => {
    // 2e9 operations per token; the H100's 1,979 T op/s: 989,500 t/s.
    const check = (ts: number) =>
      physicalBoundChecks({ workload, registered: h100, backend: 'CUDA', pp: { n: 512, ts } })[0]!
    expect(check(1_000_000)).toMatchObject({ check: 'compute bound', ok: true })
    expect(check(1_100_000)).toMatchObject({ ok: false, detail: expect.stringContaining('of 989500 t/s') })
  })

  it('counts a CPU’s tile unit for pp only, and bounds the CPU from its registered cores', () => {
    // 2 cores × 6 GHz × 256 (AVX-512) = 3.072 T op/s for decode, × 2048 (AMX) = 24.576 T for prompts.
    const cpu = { cpu: { model: 'Intel Xeon', cores: 2, features: ['avx512f', 'amx_int8'] } }
    const [bandwidth, compute] = physicalBoundChecks({
      workload,
      registered: cpu,
      backend: 'CPU',
      pp: { n: 512, ts: 10 },
      tg: { n: 129, ts: 10 },
    })
    // 2 × 100 GB/s over 1,002,097,152 bytes: 199.6 t/s.
    expect(bandwidth!.detail).toMatch(/^tg129 10\.0 t\/s is 5% of the bound 200 t\/s/)
    expect(compute!.detail).toMatch(/pp512 10\.0 t\/s is .* of 12288 t\/s .*tg129 10\.0 t\/s is .* of 1536 t\/s/)
  })

  it('refuses a GPU the catalogue lacks instead of checking it against host memory', () => {
    const [c] = physicalBoundChecks({
      workload,
      registered: { gpus: ['Fabricated GPU 9000'] },
      backend: 'CUDA',
      tg: { n: 128, ts: 1 },
    })
    expect(c).toMatchObject({ check: 'device', ok: false })
  })

  it('knows the published figures of current devices', () => {
    expect(catalogued('NVIDIA H100 PCIe')?.bandwidthBytesPerSecond).toBe(2e12)
    expect(catalogued('Apple M2 Max')?.name).toBe('Apple M2 Max')
    expect(catalogued('Apple M2')?.name).toBe('Apple M2')
    expect(catalogued('NVIDIA GeForce RTX 4090')?.bandwidthBytesPerSecond).toBe(1008e9)
  })

  it('takes the tensor table of a synthesized model: every weight but token_embd', () => {
    // tiny Q4_0: per layer 4·128² + 3·128·352 = 200,704 weights = 112,896 bytes (18 per 32);
    // 2 layers + 5 norms of 128 f32 + output 128 × 32,000 (2,304,000 bytes).
    const w = modelWorkload(shapes.tiny, 'Q4_0', 32000)
    expect(w.weightBytesPerToken).toBe(2 * 112_896 + 5 * 512 + 2_304_000)
    expect(w.layerParameters).toBe(2 * 200_704)
  })
})
