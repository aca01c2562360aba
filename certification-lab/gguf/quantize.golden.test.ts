import { describe, expect, it } from 'vitest'
import { quantizeQ4_0, quantizeQ8_0 } from './quantize.ts'

// The bytes ggml itself writes: quantize_row_q8_0_ref and quantize_row_q4_0_ref from the
// libggml-base.so that node-llama-cpp ships, run on the inputs below by native/quantize-golden.c
// (regenerate with native/quantize-golden.sh). Identity, not a tolerance: a synthesized model's
// SHA-256 is only reproducible if every block is bit for bit what ggml's reference writes.
/** One string per block: Q8_0 blocks are 34 bytes, Q4_0 blocks 18. */
const GOLDEN = {
  q8_0: [
    '003c7f010203fffefd407f00010300fffd1555010102fffffe402a00020100feff2a',
    '332b81df3d9af856b41270cd2b89e745a2005ebb1977d53390ee4caa0866c3217fdc',
    'ea2c0003070a0d8114171a0003070a0d1014171a0003070a0d1014171a0003070a0d',
    '00000000000000000000000000000000000000000000000000000000000000000000',
    '000081899199a1a9b1b9c0c8d0d8e0e8f0f8000810182028303840474f575f676f77',
  ].join(''),
  q4_0: [
    'f0cb30888888888888445088888888888857',
    '253be046acf258bd1379df358be046acf268',
    'e03c98a88889899099999a98a88889899999',
    '008088888888888888888888888888888888',
    '0300809091a2a2b3b3c4c4d5d5e6e6f7f7f8',
  ].join(''),
}

/** The same five blocks as native/quantize-golden.c, in float32 arithmetic. */
function inputs(): Float32Array {
  const f = Math.fround
  const x = new Float32Array(32 * 5)
  const halves = [127, 0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 63.5]
  for (let i = 0; i < 32; i++) x[i] = f(halves[i % 8]! * (i < 8 ? 1 : f(f((i % 3) + 1) / 3)))
  for (let i = 0; i < 32; i++) x[32 + i] = f((((i * 37) % 101) - 50) / 7)
  for (let i = 0; i < 32; i++) x[64 + i] = i === 5 ? -9.75 : f((i % 9) / 4)
  for (let i = 0; i < 32; i++) x[128 + i] = f((i - 16) * f(1e-7))
  return x
}

describe('ggml quantizers, against ggml’s reference bytes', () => {
  it('Q8_0 is byte-identical to quantize_row_q8_0_ref (roundf: halves away from zero)', () => {
    expect(quantizeQ8_0(inputs()).toString('hex')).toBe(GOLDEN.q8_0)
  })

  it('Q4_0 is byte-identical to quantize_row_q4_0_ref', () => {
    expect(quantizeQ4_0(inputs()).toString('hex')).toBe(GOLDEN.q4_0)
  })
})
