import { describe, expect, it } from 'vitest'
import { computePeriodCharges } from './compute-charges.ts'
import { hybridTerms } from './sample-terms.ts'

const summary = (r: ReturnType<typeof computePeriodCharges>) => r.lines.map((l) => [l.kind, l.amountMinor])

describe('what a period costs, worked by hand', () => {
  it('hybrid: graduated per-device royalty + base fee, guarantee met', () => {
    // Q1 2027, nothing shipped earlier this year.
    // Entry: 1,200,000 units: 1,000,000 × $0.30 = $300,000.00; 200,000 × $0.25 = $50,000.00 → $350,000.00
    // Mainstream: 100,000 × $0.60 = $60,000.00
    // Premium: 10,000 × $1.20 = $12,000.00
    // Royalties $422,000.00 ≥ guarantee $250,000.00: no shortfall.
    // Base fee $120,000.00 per year × 3/12 = $30,000.00. Invoice $452,000.00.
    const r = computePeriodCharges(
      hybridTerms(),
      { months: 3, unitsByBand: { Entry: 1_200_000, Mainstream: 100_000, Premium: 10_000 } },
      { closesGuaranteePeriod: true },
    )
    expect(summary(r)).toEqual([
      ['royalty', 35_000_000n],
      ['royalty', 6_000_000n],
      ['royalty', 1_200_000n],
      ['base_fee', 3_000_000n],
    ])
    expect(r.invoiceTotalMinor).toBe(45_200_000n)
    expect(r.lines[0]!.trace).toEqual([
      'Tier 1 (year units 1–1,000,000): 1,000,000 × $0.30 = $300,000.00',
      'Tier 2 (year units 1,000,001–1,200,000): 200,000 × $0.25 = $50,000.00',
      'Band total $350,000.00',
    ])
    expect(r.notes).toContain(
      'Guarantee $250,000.00 per quarter; earned $0.00 earlier + $422,000.00 now = $422,000.00: guarantee met.',
    )
  })

  it('graduated tiers continue across the contract year', () => {
    // 900,000 Entry units shipped in Q1; Q2 ships 300,000: units 900,001–1,000,000 at $0.30 = $30,000.00,
    // units 1,000,001–1,200,000 at $0.25 = $50,000.00 → $80,000.00. Guarantee $250,000 − $80,000 = $170,000 shortfall.
    const r = computePeriodCharges(
      hybridTerms({ baseFee: undefined }),
      { months: 3, unitsByBand: { Entry: 300_000 } },
      { unitsEarlierInYear: { Entry: 900_000 }, closesGuaranteePeriod: true },
    )
    expect(summary(r)).toEqual([
      ['royalty', 8_000_000n],
      ['minimum_guarantee_shortfall', 17_000_000n],
    ])
    expect(r.invoiceTotalMinor).toBe(25_000_000n)
  })

  it('volume tiers charge every unit at the rate of the tier reached', () => {
    // Volume: 900,000 earlier + 300,000 now = 1,200,000 → tier 2 ($0.25) for all 300,000 units = $75,000.00.
    const t = hybridTerms({ baseFee: undefined, minimumGuarantee: undefined })
    t.perDeviceRoyalty!.tiering = 'volume'
    const r = computePeriodCharges(
      t,
      { months: 3, unitsByBand: { Entry: 300_000 } },
      { unitsEarlierInYear: { Entry: 900_000 } },
    )
    expect(summary(r)).toEqual([['royalty', 7_500_000n]])
  })

  it('revenue share with half-even rounding', () => {
    // 7.5% of $1,234,567.89 = $92,592.59175 → $92,592.59 (the 0.175 cent rounds down: below half).
    // 7.5% of $0.70 = 5.25 cents → 5 cents (half-even: .25 is below half); 7.5% of $1.00 = 7.5 cents → 8 (tie to even).
    const t = hybridTerms({
      perDeviceRoyalty: undefined,
      baseFee: undefined,
      minimumGuarantee: undefined,
      revenueShare: { percent: '7.50' },
    })
    expect(summary(computePeriodCharges(t, { months: 3, unitsByBand: {}, revenue: '1234567.89' }))).toEqual([
      ['revenue_share', 9_259_259n],
    ])
    expect(summary(computePeriodCharges(t, { months: 3, unitsByBand: {}, revenue: '0.70' }))).toEqual([
      ['revenue_share', 5n],
    ])
    expect(summary(computePeriodCharges(t, { months: 3, unitsByBand: {}, revenue: '1.00' }))).toEqual([
      ['revenue_share', 8n],
    ])
  })

  it('a prepaid advance is recouped before anything is invoiced, and the cap limits the year', () => {
    // Royalties: Premium 100,000 × $1.20 = $120,000.00. Cap $1,100,000/yr with $1,050,000 earned earlier → $50,000
    // room:
    // $70,000 cut. Earned $50,000; advance left $30,000 → recoup $30,000, $0 advance left.
    // Invoice: $50,000 − $30,000 = $20,000 royalties + base fee $30,000 = $50,000.
    const t = hybridTerms({
      minimumGuarantee: undefined,
      cap: { amount: '1100000.00' },
      prepaidAdvance: { amount: '200000.00' },
    })
    const r = computePeriodCharges(
      t,
      { months: 3, unitsByBand: { Premium: 100_000 } },
      { royaltiesEarlierInYearMinor: 105_000_000n, advanceRemainingMinor: 3_000_000n },
    )
    expect(summary(r)).toEqual([
      ['royalty', 12_000_000n],
      ['cap_reduction', -7_000_000n],
      ['advance_recoupment', -3_000_000n],
      ['base_fee', 3_000_000n],
    ])
    expect(r.earnedRoyaltiesMinor).toBe(5_000_000n)
    expect(r.advanceRemainingAfterMinor).toBe(0n)
    expect(r.invoiceTotalMinor).toBe(5_000_000n)
  })

  it('a paid pilot charges its fee once', () => {
    // Pilot fee $75,000.00 on the first invoice only.
    const t = {
      ...hybridTerms(),
      perDeviceRoyalty: undefined,
      baseFee: undefined,
      minimumGuarantee: undefined,
      pilotFee: { amount: '75000.00' },
    }
    expect(summary(computePeriodCharges(t, { months: 3, unitsByBand: {} }, { includePilotFee: true }))).toEqual([
      ['pilot_fee', 7_500_000n],
    ])
    expect(summary(computePeriodCharges(t, { months: 3, unitsByBand: {} }))).toEqual([])
  })

  it('rounds sub-cent rates once per band and says so', () => {
    // 3 units × $0.125 = $0.375 → $0.38 (half-even: 37.5 cents → 38, 8 is even).
    const t = hybridTerms({ baseFee: undefined, minimumGuarantee: undefined })
    t.perDeviceRoyalty!.bands[0]!.tiers[0]!.rate = '0.125'
    const r = computePeriodCharges(t, { months: 3, unitsByBand: { Entry: 3 } })
    expect(r.lines[0]!.amountMinor).toBe(38n)
    expect(r.lines[0]!.trace.at(-1)).toBe('Band total $0.38 ($0.375 rounded half to even to the cent)')
  })
})
