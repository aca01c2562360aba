import { describe, expect, it } from 'vitest'
import { amountFor, selectRate, type Rate } from './select-rate.ts'

const rate = (p: Partial<Rate> & Pick<Rate, 'rateMinor' | 'effectiveFrom'>): Rate => ({
  rateRole: 'engineer',
  currency: 'USD',
  customerId: null,
  engagementId: null,
  ...p,
})
const q = { rateRole: 'engineer', currency: 'USD', customerId: 'c1', engagementId: 'e1' }

describe('rate selection', () => {
  const rates = [
    rate({ rateMinor: 20_000n, effectiveFrom: '2027-01-01' }),
    rate({ rateMinor: 22_000n, effectiveFrom: '2027-07-01' }),
    rate({ rateMinor: 18_000n, effectiveFrom: '2027-03-01', customerId: 'c1' }),
    rate({ rateMinor: 17_000n, effectiveFrom: '2027-05-01', engagementId: 'e1' }),
    rate({ rateMinor: 45_000n, effectiveFrom: '2027-01-01', rateRole: 'principal_engineer' }),
    rate({ rateMinor: 19_000n, effectiveFrom: '2027-01-01', currency: 'EUR' }),
  ]
  it.each([
    ['2026-12-31', null, 'nothing in force yet'],
    ['2027-01-01', 20_000n, 'standard, from its first day'],
    ['2027-02-28', 20_000n, 'standard'],
    ['2027-03-01', 18_000n, 'the customer’s override wins over the standard rate'],
    ['2027-05-01', 17_000n, 'the engagement’s own rate wins over the customer’s'],
    ['2027-08-01', 17_000n, 'a newer standard rate does not beat an override in force'],
  ])('on %s: %s (%s)', (day, expected, _why) => {
    expect(selectRate(rates, { ...q, day })?.rateMinor ?? null).toBe(expected)
  })
  it('keeps roles, currencies and other customers apart', () => {
    expect(selectRate(rates, { ...q, rateRole: 'principal_engineer', day: '2027-06-01' })?.rateMinor).toBe(45_000n)
    expect(selectRate(rates, { ...q, currency: 'EUR', day: '2027-06-01' })?.rateMinor).toBe(19_000n)
    expect(selectRate(rates, { ...q, customerId: 'c2', engagementId: 'e2', day: '2027-08-01' })?.rateMinor).toBe(
      22_000n,
    )
  })
  it('bills minutes at an hourly rate, rounding half to even once', () => {
    expect(amountFor(60, 20_000n)).toBe(20_000n)
    expect(amountFor(90, 17_500n)).toBe(26_250n)
    expect(amountFor(1, 15_030n)).toBe(250n) // 250.5 → 250 (even)
    expect(amountFor(1, 15_090n)).toBe(252n) // 251.5 → 252 (even)
    expect(amountFor(7, 10_001n)).toBe(1_167n) // 1166.78 → 1167
  })
})
