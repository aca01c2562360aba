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
      ['tier_crossing', 0n],
      ['royalty', 6_000_000n],
      ['royalty', 1_200_000n],
      ['base_fee', 3_000_000n],
      ['minimum_guarantee_met', 0n],
    ])
    expect(r.invoiceTotalMinor).toBe(45_200_000n)
    // The decisions are lines too: the crossing into tier 2, and the guarantee met.
    expect(r.lines[1]!.trace).toEqual([
      'Year units passed 1,000,000: tier 2 at $0.25 per device from unit 1,000,001 ' +
        '(the year now stands at 1,200,000 units)',
    ])
    expect(r.lines[5]!.trace).toEqual([
      'Guarantee $250,000.00 per quarter',
      'Earned $0.00 earlier + $422,000.00 now = $422,000.00',
      'Guarantee met with $172,000.00 to spare; nothing more is owed',
    ])
    expect(r.lines[0]!.trace).toEqual([
      'Tier 1 (year units 1–1,000,000): 1,000,000 × $0.30 = $300,000.00',
      'Tier 2 (year units 1,000,001–1,200,000): 200,000 × $0.25 = $50,000.00',
      'Band total $350,000.00',
    ])
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
      ['tier_crossing', 0n],
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
    expect(summary(r)).toEqual([
      ['royalty', 7_500_000n],
      ['tier_crossing', 0n],
    ])
  })

  it('retroactive volume pricing trues up the earlier quarters where a tier is crossed', () => {
    // Tiers 0–1M at $0.50, 1M–5M at $0.40, above at $0.30; quarters of 800k, 700k and 4M.
    // Q1: 800,000 × $0.50 = $400,000.00.
    // Q2: the year reaches 1,500,000 (tier 2): 700,000 × $0.40 = $280,000.00, and Q1 re-priced at $0.40:
    //     800,000 × $0.40 = $320,000.00 − $400,000.00 charged = −$80,000.00.
    // Q3: the year reaches 5,500,000 (tier 3): 4,000,000 × $0.30 = $1,200,000.00, and Q1 and Q2 re-priced at
    //     $0.30: Q1 $240,000.00 − $320,000.00 = −$80,000.00; Q2 $210,000.00 − $280,000.00 = −$70,000.00 → −$150,000.00.
    // The year: $400,000 + $200,000 + $1,050,000 = $1,650,000.00 = 5,500,000 × $0.30.
    const t = hybridTerms({ baseFee: undefined, minimumGuarantee: undefined })
    const band = {
      name: 'Entry',
      minAsp: '0.00',
      maxAsp: null,
      tiers: [
        { fromUnits: 0, toUnits: 1_000_000, rate: '0.50' },
        { fromUnits: 1_000_000, toUnits: 5_000_000, rate: '0.40' },
        { fromUnits: 5_000_000, toUnits: null, rate: '0.30' },
      ],
    }
    t.perDeviceRoyalty = { tiering: 'volume', retroactive: true, bands: [band] }
    const q1 = computePeriodCharges(t, { months: 3, tag: '2027-Q1', unitsByBand: { Entry: 800_000 } })
    expect(summary(q1)).toEqual([['royalty', 40_000_000n]])
    const q2 = computePeriodCharges(
      t,
      { months: 3, tag: '2027-Q2', unitsByBand: { Entry: 700_000 } },
      {
        unitsEarlierInYear: { Entry: 800_000 },
        earlierPeriodsInYear: { Entry: [{ tag: '2027-Q1', units: 800_000, chargedMinor: 40_000_000n, band }] },
      },
    )
    expect(summary(q2)).toEqual([
      ['royalty', 28_000_000n],
      ['tier_crossing', 0n],
      ['volume_true_up', -8_000_000n],
    ])
    const q3 = computePeriodCharges(
      t,
      { months: 3, tag: '2027-Q3', unitsByBand: { Entry: 4_000_000 } },
      {
        unitsEarlierInYear: { Entry: 1_500_000 },
        earlierPeriodsInYear: {
          Entry: [
            { tag: '2027-Q1', units: 800_000, chargedMinor: 32_000_000n, band },
            { tag: '2027-Q2', units: 700_000, chargedMinor: 28_000_000n, band },
          ],
        },
      },
    )
    expect(summary(q3)).toEqual([
      ['royalty', 120_000_000n],
      ['tier_crossing', 0n],
      ['volume_true_up', -15_000_000n],
    ])
    expect(q3.lines[2]!.label).toBe('Volume true-up, band “Entry”: 2027-Q1 and 2027-Q2 re-priced at $0.30')
    expect(q3.lines[2]!.trace.at(-1)).toBe('2027-Q1 and 2027-Q2 re-priced at $0.30: -$150,000.00')
    expect(q1.invoiceTotalMinor + q2.invoiceTotalMinor + q3.invoiceTotalMinor).toBe(165_000_000n)
  })

  it('charges a fixed amount for the days in force of a partial period', () => {
    // A contract starting 2027-01-15 is in force 76 of Q1's 90 days: base fee $30,000.00 × 76/90 = $25,333.33;
    // the quarterly guarantee $250,000.00 × 76/90 = $211,111.11, less $0 earned: shortfall $211,111.11.
    const r = computePeriodCharges(
      hybridTerms({ baseFee: { amount: '30000.00', period: 'quarter' } }),
      { months: 3, unitsByBand: {} },
      {
        closesGuaranteePeriod: true,
        periodShare: { activeDays: 76, totalDays: 90 },
        guaranteeShare: { activeDays: 76, totalDays: 90 },
      },
    )
    expect(summary(r)).toEqual([
      ['base_fee', 2_533_333n],
      ['minimum_guarantee_shortfall', 21_111_111n],
    ])
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

describe('base fees add up whatever the filing frequency (issue 30, decision 010)', () => {
  it('$100,000.00 a year: twelve months filed monthly total what four quarters and the year do, to the cent', () => {
    const terms = { ...hybridTerms(), perDeviceRoyalty: undefined, minimumGuarantee: undefined }
    terms.baseFee = { amount: '100000.00', period: 'year' }
    const fee = (months: number, monthsBefore: number) =>
      computePeriodCharges(terms, { months, unitsByBand: {} }, { monthsBefore }).lines.find(
        (l) => l.kind === 'base_fee',
      )!
    // By hand: a month is $8,333.33⅓; each month's share is the fee to its end less the fee to its start,
    // each rounded: 8,333.33, 8,333.34, 8,333.33, … and the year's twelve total $100,000.00 exactly.
    const months = Array.from({ length: 12 }, (_, i) => fee(1, i).amountMinor)
    expect(months.slice(0, 3)).toEqual([833_333n, 833_334n, 833_333n])
    expect(months.reduce((a, b) => a + b, 0n)).toBe(10_000_000n)
    const quarters = [0, 3, 6, 9].map((b) => fee(3, b).amountMinor)
    expect(quarters).toEqual([2_500_000n, 2_500_000n, 2_500_000n, 2_500_000n])
    for (let q = 0; q < 4; q++) expect(months.slice(q * 3, q * 3 + 3).reduce((a, b) => a + b, 0n)).toBe(quarters[q])
    // The allocation is explained where it differs from the naive share.
    expect(fee(1, 1).trace).toEqual([
      '$100,000.00 per year × 1/12 months = $8,333.33',
      "Allocated so the year's periods add up to its fee: $100,000.00 × 2/12 less $100,000.00 × 1/12, each " +
        'rounded = $8,333.34',
    ])
  })
})
