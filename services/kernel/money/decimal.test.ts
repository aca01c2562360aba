import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { divRoundHalfEven, formatDecimal, groupThousands, parseDecimal } from './decimal.ts'
import { formatMoney, formatRateMicros, microsToMinor, parseMoney } from './money.ts'

describe('exact decimals', () => {
  it.each([
    ['0', 2, 0n],
    ['1', 2, 100n],
    ['1.5', 2, 150n],
    ['1,234.56', 2, 123456n],
    ['12,345,678', 2, 1234567800n],
    ['0.250000', 6, 250000n],
    ['-3.10', 2, -310n],
    ['7', 0, 7n],
  ])('parses %s at scale %i', (text, scale, expected) => {
    expect(parseDecimal(text, scale)).toBe(expected)
  })

  it.each([
    ['1.234', 2, 'more than 2 decimal places'],
    ['abc', 2, 'not a number'],
    ['1.5', 0, 'more than 0 decimal places'],
    ['', 2, 'not a number'],
    // A decimal comma read as grouping would be 100 times the amount (attacker review of issue 30).
    ['1234,56', 2, 'uses a comma as the decimal mark: write 1234.56'],
    ['12,5', 2, 'uses a comma as the decimal mark: write 12.5'],
    ['1,2,3,4', 2, 'commas that are not thousands groups'],
    ['1234,567.00', 2, 'commas that are not thousands groups'],
  ])('refuses %s at scale %i: %s', (text, scale, message) => {
    expect(() => parseDecimal(text, scale)).toThrow(message)
  })

  it('round-trips every value through its canonical string', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
        fc.integer({ min: 0, max: 6 }),
        (v, scale) => parseDecimal(formatDecimal(v, scale), scale) === v,
      ),
    )
  })

  it('rounds half to even, symmetrically', () => {
    expect([5n, 15n, 25n, -5n, -15n, 14n, 16n].map((a) => divRoundHalfEven(a, 10n))).toEqual([
      0n,
      2n,
      2n,
      0n,
      -2n,
      1n,
      2n,
    ])
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
        fc.bigInt({ min: 1n, max: 10n ** 6n }),
        (a, b) => {
          const q = divRoundHalfEven(a, b)
          const err = a - q * b
          return 2n * (err < 0n ? -err : err) <= b
        },
      ),
    )
  })

  it('formats money and rates for people', () => {
    expect(groupThousands('1234567.5')).toBe('1,234,567.5')
    expect(formatMoney(parseMoney('50000', 'USD'))).toBe('$50,000.00')
    expect(formatMoney(parseMoney('-0.5', 'EUR'))).toBe('-€0.50')
    expect(formatMoney(parseMoney('1200', 'JPY'))).toBe('¥1,200')
    expect(formatRateMicros(250000n, 'USD')).toBe('$0.25')
    expect(formatRateMicros(125000n, 'USD')).toBe('$0.125')
    expect(microsToMinor(1_005_000n, 'USD')).toBe(100n)
    expect(microsToMinor(1_015_000n, 'USD')).toBe(102n)
  })
})
