import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fromF16, toF16 } from './f16.ts'

describe('half precision', () => {
  it.each([
    [0, 0x0000],
    [1, 0x3c00],
    [-2, 0xc000],
    [65504, 0x7bff],
    [0.1, 0x2e66],
    [1e-8, 0x0000],
    [70000, 0x7c00],
    [6.1035156e-5, 0x0400],
    [5.96e-8, 0x0001],
  ])('encodes %f as %s', (v, bits) => {
    expect(toF16(v)).toBe(bits)
  })

  it('round-trips every half value, and rounds any float to a nearest half', () => {
    for (let h = 0; h < 0x7c00; h++) expect(toF16(fromF16(h))).toBe(h)
    fc.assert(
      fc.property(fc.float({ min: -60000, max: 60000, noNaN: true }), (x) => {
        const y = fromF16(toF16(x))
        const ulp = Math.max(2 ** (Math.floor(Math.log2(Math.abs(x) || 2 ** -24)) - 10), 2 ** -24)
        return Math.abs(y - x) <= ulp / 2 + 1e-12
      }),
    )
  })
})
