import { computePeriodCharges, type ChargeLine } from '../contracts/compute-charges.ts'
import { addMonths } from '#services/calendar/months.ts'
import { amountOf, type ContractTerms } from '../contracts/contract-terms.ts'
import { minorDigits } from '../money/currency.ts'
import { formatDecimal } from '../money/decimal.ts'
import { monthsBetween } from '#services/calendar/months.ts'

/** A current report as the rating sees it: its period, its terms, and its usage per band. */
export interface ReportForRating {
  id: string
  periodStart: string
  periodEnd: string
  months: number
  terms: ContractTerms
  unitsByBand: Record<string, number>
  revenueMinor: bigint
}

export interface ReportRating {
  reportId: string
  lines: ChargeLine[]
  notes: string[]
  earnedRoyaltiesMinor: bigint
  recoupedMinor: bigint
  invoiceTotalMinor: bigint
}

const royaltyKinds = new Set(['royalty', 'revenue_share', 'cap_reduction'])

/**
 * Rates every current report of one contract in period order, carrying what the contract counts
 * across periods: units per band and royalties per contract year (tiers, cap), the advance left to
 * recoup, royalties per guarantee period. Deterministic: the same reports always rate the same, so
 * a restatement re-rates the periods after it and a from-scratch recomputation agrees with the books.
 */
export function rateContractReports(contractStart: string, reports: ReportForRating[]): ReportRating[] {
  const sorted = [...reports].sort((a, b) => a.periodStart.localeCompare(b.periodStart))
  const unitsByYear = new Map<number, Record<string, number>>()
  const royaltiesByYear = new Map<number, bigint>()
  const earnedByGuaranteePeriod = new Map<string, bigint>()
  let recoupedTotal = 0n
  // Excess over the guarantee carried into later guarantee periods, where the contract allows it.
  let carried = 0n
  return sorted.map((r) => {
    const t = r.terms
    const offset = monthsBetween(contractStart, r.periodStart)
    const year = Math.floor(offset / 12)
    const earlierUnits = unitsByYear.get(year) ?? {}
    const mg = t.minimumGuarantee
    const gpMonths = mg?.period === 'quarter' ? 3 : 12
    const gpIndex = Math.floor(offset / gpMonths)
    const gpKey = `${gpMonths}:${gpIndex}`
    const gpEnd = addMonths(contractStart, (gpIndex + 1) * gpMonths)
    const closes = r.periodEnd >= gpEnd
    const advance = t.prepaidAdvance ? amountOf(t, t.prepaidAdvance.amount) : 0n
    const charges = computePeriodCharges(
      t,
      {
        months: r.months,
        unitsByBand: r.unitsByBand,
        revenue: t.revenueShare ? formatDecimal(r.revenueMinor, minorDigits(t.currency)) : undefined,
      },
      {
        unitsEarlierInYear: earlierUnits,
        royaltiesEarlierInYearMinor: royaltiesByYear.get(year) ?? 0n,
        advanceRemainingMinor: advance > recoupedTotal ? advance - recoupedTotal : 0n,
        earnedEarlierInGuaranteePeriodMinor: earnedByGuaranteePeriod.get(gpKey) ?? 0n,
        carriedForwardMinor: mg?.carryForwardExcess && closes ? carried : 0n,
        closesGuaranteePeriod: closes,
        // A pilot's fee is invoiced on signature (sync-envelope.ts), never with a report.
        includePilotFee: false,
      },
    )
    const units = { ...earlierUnits }
    for (const [band, n] of Object.entries(r.unitsByBand)) units[band] = (units[band] ?? 0) + n
    unitsByYear.set(year, units)
    const royalties = charges.lines.filter((l) => royaltyKinds.has(l.kind)).reduce((s, l) => s + l.amountMinor, 0n)
    royaltiesByYear.set(year, (royaltiesByYear.get(year) ?? 0n) + royalties)
    earnedByGuaranteePeriod.set(gpKey, (earnedByGuaranteePeriod.get(gpKey) ?? 0n) + charges.earnedRoyaltiesMinor)
    if (mg && closes) {
      const counted = earnedByGuaranteePeriod.get(gpKey)! + (mg.carryForwardExcess ? carried : 0n)
      const guaranteed = amountOf(t, mg.amount)
      carried = mg.carryForwardExcess && counted > guaranteed ? counted - guaranteed : 0n
    }
    recoupedTotal += charges.recoupedMinor
    return {
      reportId: r.id,
      lines: charges.lines,
      notes: charges.notes,
      earnedRoyaltiesMinor: charges.earnedRoyaltiesMinor,
      recoupedMinor: charges.recoupedMinor,
      invoiceTotalMinor: charges.invoiceTotalMinor,
    }
  })
}
