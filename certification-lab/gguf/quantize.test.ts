import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fromF16 } from './f16.ts'
import { dequantizeQ4_0, dequantizeQ8_0, quantizeQ4_0, quantizeQ8_0 } from './quantize.ts'

const block = fc
  .array(fc.float({ min: -4, max: 4, noNaN: true, noDefaultInfinity: true }), { minLength: 32, maxLength: 32 })
  .map((a) => Float32Array.from(a))

// ggml quantizes with the f32 scale and stores it as f16. Where that scale is an f16 subnormal
// (a block whose values are all below ~1e-4 in Q8_0), storing it moves it by up to half the
// subnormal spacing (2^-25) instead of a relative 2^-11, and each of up to `steps` quanta carries
// that error. Normal scales get no slack.
const subnormalScaleSlack = (d: number, steps: number) => (Math.abs(d) < 2 ** -14 ? steps * 2 ** -25 : 0)

describe('ggml quantizers', () => {
  it('Q8_0 keeps every value within half a step of its block scale', () => {
    fc.assert(
      fc.property(block, (x) => {
        const q = quantizeQ8_0(x)
        const d = fromF16(q.readUInt16LE(0))
        const y = dequantizeQ8_0(q)
        return x.every(
          (v, i) => Math.abs(v - y[i]!) <= d * 0.5 + Math.abs(v) * 1e-3 + 1e-7 + subnormalScaleSlack(d, 127),
        )
      }),
    )
  })

  it('Q4_0 keeps every value within one step of its block scale', () => {
    fc.assert(
      fc.property(block, (x) => {
        const q = quantizeQ4_0(x)
        const d = Math.abs(fromF16(q.readUInt16LE(0)))
        const y = dequantizeQ4_0(q)
        return x.every((v, i) => Math.abs(v - y[i]!) <= d + Math.abs(v) * 1e-3 + 1e-7 + subnormalScaleSlack(d, 8))
      }),
    )
  })

  it('lays blocks out as ggml does: scale first, then packed values', () => {
    const x = Float32Array.from({ length: 32 }, (_, i) => (i - 16) / 4)
    const q8 = quantizeQ8_0(x)
    expect(q8.length).toBe(34)
    expect(q8.readInt8(2)).toBe(-127)
    const q4 = quantizeQ4_0(x)
    expect(q4.length).toBe(18)
    // max by magnitude is -4 (i = 0): d = -4 / -8 = 0.5; x[0] = -4 → q = trunc(-8 + 8.5) = 0; x[16] = 0 → 8.
    expect(fromF16(q4.readUInt16LE(0))).toBe(0.5)
    expect(q4.readUInt8(2)).toBe(0 | (8 << 4))
  })
})
