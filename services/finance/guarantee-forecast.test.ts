import { describe, expect, it } from 'vitest'
import { forecastGuaranteeYear, type ReportedPeriod } from './guarantee-forecast.ts'

const inForce = { start: '2027-01-01', end: '2029-12-31' }
const quarter = (start: string, end: string, earnedMinor: bigint): ReportedPeriod => ({
  periodStart: start,
  periodEnd: end,
  earnedMinor,
})

describe('the minimum-guarantee shortfall forecast for the contract year', () => {
  it('adds a straight line at the year’s monthly rate to a yearly guarantee’s earnings so far', () => {
    // $100,000 a year; $15,000 in Q1 and $21,000 in Q2: $36,000 in 6 months, $36,000 more by December.
    const f = forecastGuaranteeYear({
      contractStart: '2027-01-01',
      inForce,
      guaranteeMinor: 10_000_000n,
      period: 'year',
      today: '2027-07-15',
      reports: [
        quarter('2027-01-01', '2027-04-01', 1_500_000n),
        quarter('2027-04-01', '2027-07-01', 2_100_000n),
        // The year before the contract's calendar counts nothing.
        quarter('2026-10-01', '2027-01-01', 9_000_000n),
      ],
    })
    expect(f.year).toEqual({ start: '2027-01-01', end: '2028-01-01' })
    expect(f).toMatchObject({
      guaranteedMinor: 10_000_000n,
      earnedMinor: 3_600_000n,
      monthsReported: 6,
      forecastMinor: 7_200_000n,
      shortfallMinor: 2_800_000n,
    })
  })

  it('forecasts each quarter of a quarterly guarantee apart: a closed quarter is what it earned', () => {
    // $250,000 a quarter; Q1 earned $1,200 (its $248,800 shortfall is what closing Q1 charged), and
    // Q2 to Q4 are forecast at $400 a month: $1,200 each, $248,800 short each.
    const f = forecastGuaranteeYear({
      contractStart: '2027-01-01',
      inForce,
      guaranteeMinor: 25_000_000n,
      period: 'quarter',
      today: '2027-05-10',
      reports: [quarter('2027-01-01', '2027-04-01', 120_000n)],
    })
    expect(f.periods.map((p) => [p.start, p.monthsReported, p.monthsToForecast, p.shortfallMinor])).toEqual([
      ['2027-01-01', 3, 0, 24_880_000n],
      ['2027-04-01', 0, 3, 24_880_000n],
      ['2027-07-01', 0, 3, 24_880_000n],
      ['2027-10-01', 0, 3, 24_880_000n],
    ])
    expect(f.guaranteedMinor).toBe(100_000_000n)
    expect(f.forecastMinor).toBe(480_000n)
    expect(f.shortfallMinor).toBe(99_520_000n)
  })

  it('rounds the straight line half to even once, and a guarantee met forecasts no shortfall', () => {
    // 1,000 minor units over 7 reported months, 5 left: 1000 × 5 / 7 = 714.29 → 714.
    const monthly = Array.from({ length: 7 }, (_, i) => {
      const m = String(i + 1).padStart(2, '0')
      const next = String(i + 2).padStart(2, '0')
      return quarter(`2027-${m}-01`, `2027-${next}-01`, i === 0 ? 1_000n : 0n)
    })
    const f = forecastGuaranteeYear({
      contractStart: '2027-01-01',
      inForce,
      guaranteeMinor: 5_000n,
      period: 'year',
      today: '2027-08-03',
      reports: monthly,
    })
    expect(f).toMatchObject({ monthsReported: 7, forecastMinor: 1_714n, shortfallMinor: 3_286n })
    const met = forecastGuaranteeYear({
      contractStart: '2027-01-01',
      inForce,
      guaranteeMinor: 5_000n,
      period: 'year',
      today: '2027-08-03',
      reports: [quarter('2027-01-01', '2027-04-01', 4_000n)],
    })
    expect(met).toMatchObject({ forecastMinor: 16_000n, shortfallMinor: 0n })
  })

  it('prorates a guarantee to the days in force, and with nothing reported the whole of it is at risk', () => {
    // In force 15 February to 30 November 2027: 289 of 365 days of a $3,650 yearly guarantee = $2,890.
    const f = forecastGuaranteeYear({
      contractStart: '2027-02-15',
      inForce: { start: '2027-02-15', end: '2027-11-30' },
      guaranteeMinor: 365_000n,
      period: 'year',
      today: '2027-03-01',
      reports: [],
    })
    expect(f.year).toEqual({ start: '2027-01-01', end: '2028-01-01' })
    expect(f.periods[0]).toMatchObject({ monthsToForecast: 10, guaranteedMinor: 289_000n, forecastMinor: 0n })
    expect(f.shortfallMinor).toBe(289_000n)
  })

  it('counts only the months in force of the report that holds the start toward the rate', () => {
    // In force from 15 February: 320 of 365 days of $3,650 = $3,200. Q1 earned $200 in February and
    // March (January was before the start): $100 a month, $900 more for April to December.
    const f = forecastGuaranteeYear({
      contractStart: '2027-02-15',
      inForce: { start: '2027-02-15', end: '2029-12-31' },
      guaranteeMinor: 365_000n,
      period: 'year',
      today: '2027-04-20',
      reports: [quarter('2027-01-01', '2027-04-01', 20_000n)],
    })
    expect(f).toMatchObject({
      guaranteedMinor: 320_000n,
      monthsReported: 2,
      forecastMinor: 110_000n,
      shortfallMinor: 210_000n,
    })
  })
})
