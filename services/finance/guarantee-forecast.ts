import {
  contractYearOf,
  daysInForce,
  prorate,
  type ContractDates,
  type Range,
} from '../kernel/calendar/contract-calendar.ts'
import { addMonths } from '../kernel/calendar/months.ts'
import { divRoundHalfEven } from '../kernel/money/decimal.ts'

/** A current report as the forecast sees it: its months and the royalties it counts toward the guarantee. */
export interface ReportedPeriod {
  periodStart: string
  /** Exclusive. */
  periodEnd: string
  /** Royalties after the cap, before recoupment (what the guarantee counts). */
  earnedMinor: bigint
}

export interface GuaranteeYearInput {
  /** The contract calendar's start (the first version's term start). */
  contractStart: string
  /** The days in force: from the start to the current term's end or the day before termination. */
  inForce: ContractDates
  /** The guarantee per period, in minor units, before proration. */
  guaranteeMinor: bigint
  period: 'quarter' | 'year'
  today: string
  reports: ReportedPeriod[]
}

export interface GuaranteePeriodForecast extends Range {
  guaranteedMinor: bigint
  earnedMinor: bigint
  monthsReported: number
  /** Months in force the partner has not reported yet: the straight line fills them. */
  monthsToForecast: number
  /** Royalties earned plus the forecast for the months left. */
  forecastMinor: bigint
  shortfallMinor: bigint
}

export interface GuaranteeYearForecast {
  year: Range
  guaranteedMinor: bigint
  earnedMinor: bigint
  monthsReported: number
  forecastMinor: bigint
  shortfallMinor: bigint
  periods: GuaranteePeriodForecast[]
}

/**
 * The minimum-guarantee shortfall a contract is heading for in its current contract year (issue 29),
 * guarantee period by guarantee period (one for a yearly guarantee, four for a quarterly one): what
 * each guarantees (prorated by days in force, as the rating charges it), less the royalties earned in
 * it so far and a straight-line forecast of the months not yet reported at the year's monthly rate so
 * far (earned ÷ months reported), rounded half to even once per period. With nothing reported this
 * year there is no rate: the whole guarantee is at risk. Excess carried forward is not counted, so the
 * forecast errs towards a shortfall.
 */
export function forecastGuaranteeYear(input: GuaranteeYearInput): GuaranteeYearForecast {
  const year = contractYearOf(input.contractStart, input.today)
  const months = input.period === 'quarter' ? 3 : 12
  const inYear = input.reports.filter((r) => r.periodStart >= year.start && r.periodStart < year.end)
  const covered = (m: Range) => inYear.some((r) => r.periodStart <= m.start && r.periodEnd >= m.end)
  const inForce = (m: Range) => daysInForce(m, input.inForce) > 0
  const earnedYear = inYear.reduce((s, r) => s + r.earnedMinor, 0n)
  // The rate's months: reported and in force (a report of the quarter holding the start covers days before it).
  const reportedYear = monthsOf(year).filter((m) => inForce(m) && covered(m)).length
  const periods: GuaranteePeriodForecast[] = []
  for (let k = 0; k < 12 / months; k++) {
    const range = { start: addMonths(year.start, k * months), end: addMonths(year.start, (k + 1) * months) }
    const guaranteedMinor = prorate(input.guaranteeMinor, range, input.inForce).amountMinor
    if (guaranteedMinor === 0n) continue
    const earnedMinor = inYear
      .filter((r) => r.periodStart >= range.start && r.periodStart < range.end)
      .reduce((s, r) => s + r.earnedMinor, 0n)
    const live = monthsOf(range).filter(inForce)
    const monthsReported = live.filter(covered).length
    const monthsToForecast = live.length - monthsReported
    const forecastMinor =
      earnedMinor +
      (reportedYear && monthsToForecast
        ? divRoundHalfEven(earnedYear * BigInt(monthsToForecast), BigInt(reportedYear))
        : 0n)
    const shortfallMinor = guaranteedMinor > forecastMinor ? guaranteedMinor - forecastMinor : 0n
    periods.push({
      ...range,
      guaranteedMinor,
      earnedMinor,
      monthsReported,
      monthsToForecast,
      forecastMinor,
      shortfallMinor,
    })
  }
  const sum = (f: (p: GuaranteePeriodForecast) => bigint) => periods.reduce((s, p) => s + f(p), 0n)
  return {
    year: { start: year.start, end: year.end },
    guaranteedMinor: sum((p) => p.guaranteedMinor),
    earnedMinor: earnedYear,
    monthsReported: reportedYear,
    forecastMinor: sum((p) => p.forecastMinor),
    shortfallMinor: sum((p) => p.shortfallMinor),
    periods,
  }
}

/** The calendar months of a range that starts on a month's first day. */
function monthsOf(range: Range): Range[] {
  const out: Range[] = []
  for (let m = range.start; m < range.end; m = addMonths(m, 1)) out.push({ start: m, end: addMonths(m, 1) })
  return out
}
