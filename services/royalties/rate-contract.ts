import {
  calendarAnchor,
  contractYearOf,
  daysIn,
  daysInForce,
  guaranteePeriodOf,
  prorate,
} from '../kernel/calendar/contract-calendar.ts'
import { addDays, monthsBetween } from '../kernel/calendar/months.ts'
import { computePeriodCharges, royaltyKinds, type ChargeLine, type EarlierPeriod } from '../rating/compute-charges.ts'
import { amountOf, type ContractTerms } from '../rating/contract-terms.ts'
import { currentTermEnd } from '../contracts/current-term-end.ts'
import { minorDigits } from '../kernel/money/currency.ts'
import { formatDecimal } from '../kernel/money/decimal.ts'

/** A current report as the rating sees it: its period, its terms, and its usage per band. */
export interface ReportForRating {
  id: string
  tag: string
  periodStart: string
  /** Exclusive. */
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

/** What a contract year has counted so far. */
interface YearState {
  units: Record<string, number>
  royalties: bigint
  periods: Map<string, EarlierPeriod[]>
}

export interface ContractSpan {
  /** First day in force (the first version's term start). */
  start: string
  /** The day it was terminated, if it was. */
  terminatedOn?: string
}

/**
 * Rates every current report of one contract in period order, carrying what the contract counts
 * across periods on its calendar (docs/decisions/010-contract-calendar.md): units per band, royalties
 * and (for retroactive volume pricing) each period's charges per contract year; the advance left to
 * recoup; royalties per guarantee period and any excess carried forward. Deterministic: the same
 * reports always rate the same, so a restatement re-rates the periods after it and a from-scratch
 * recomputation agrees with the books.
 */
export function rateContractReports(contract: ContractSpan, reports: ReportForRating[]): ReportRating[] {
  const sorted = [...reports].sort((a, b) => a.periodStart.localeCompare(b.periodStart))
  const years = new Map<number, YearState>()
  const earnedByGuaranteePeriod = new Map<string, bigint>()
  let recoupedTotal = 0n
  // Excess over the guarantee carried into later guarantee periods, where the contract allows it.
  let carried = 0n
  return sorted.map((r) => {
    const t = r.terms
    const inForce = inForceDates(contract, t, r.periodStart)
    const year = contractYearOf(contract.start, r.periodStart)
    const state: YearState = years.get(year.index) ?? { units: {}, royalties: 0n, periods: new Map() }
    years.set(year.index, state)
    const mg = t.minimumGuarantee
    const gp = mg ? guaranteePeriodOf(contract.start, r.periodStart, mg.period) : undefined
    const closes = gp !== undefined && r.periodEnd >= gp.end
    const advance = t.prepaidAdvance ? amountOf(t, t.prepaidAdvance.amount) : 0n
    const periodRange = { start: r.periodStart, end: r.periodEnd }
    const charges = computePeriodCharges(
      t,
      {
        months: r.months,
        tag: r.tag,
        unitsByBand: r.unitsByBand,
        revenue: t.revenueShare ? formatDecimal(r.revenueMinor, minorDigits(t.currency)) : undefined,
      },
      {
        unitsEarlierInYear: state.units,
        earlierPeriodsInYear: Object.fromEntries(state.periods),
        royaltiesEarlierInYearMinor: state.royalties,
        advanceRemainingMinor: advance > recoupedTotal ? advance - recoupedTotal : 0n,
        earnedEarlierInGuaranteePeriodMinor: gp ? (earnedByGuaranteePeriod.get(gp.key) ?? 0n) : 0n,
        carriedForwardMinor: mg?.carryForwardExcess && closes ? carried : 0n,
        closesGuaranteePeriod: closes,
        guaranteeShare: gp && { activeDays: daysInForce(gp, inForce), totalDays: daysIn(gp) },
        periodShare: { activeDays: daysInForce(periodRange, inForce), totalDays: daysIn(periodRange) },
        // A pilot's fee is invoiced on signature (invoice-pilot-fee.ts), never with a report.
        includePilotFee: false,
        monthsBefore: monthsBetween(calendarAnchor(contract.start), r.periodStart),
      },
    )
    for (const [band, units] of Object.entries(r.unitsByBand)) state.units[band] = (state.units[band] ?? 0) + units
    for (const [name, charged] of Object.entries(charges.bandCharges)) {
      const band = t.perDeviceRoyalty!.bands.find((b) => b.name === name)!
      const periods = (state.periods.get(name) ?? []).map((p) => ({
        ...p,
        chargedMinor: charged.earlier.find((e) => e.tag === p.tag)?.chargedMinor ?? p.chargedMinor,
      }))
      periods.push({ tag: r.tag, units: r.unitsByBand[name] ?? 0, chargedMinor: charged.chargedMinor, band })
      state.periods.set(name, periods)
    }
    const royalties = charges.lines
      .filter((l) => royaltyKinds.has(l.kind) || l.kind === 'cap_reduction')
      .reduce((s, l) => s + l.amountMinor, 0n)
    state.royalties += royalties
    if (gp) {
      earnedByGuaranteePeriod.set(gp.key, (earnedByGuaranteePeriod.get(gp.key) ?? 0n) + charges.earnedRoyaltiesMinor)
      if (closes && mg) {
        const counted = earnedByGuaranteePeriod.get(gp.key)! + (mg.carryForwardExcess ? carried : 0n)
        const guaranteed = prorate(amountOf(t, mg.amount), gp, inForce).amountMinor
        carried = mg.carryForwardExcess && counted > guaranteed ? counted - guaranteed : 0n
      }
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

/** The days a period's terms are in force: from the contract's start to its term's end or termination. */
function inForceDates(contract: ContractSpan, terms: ContractTerms, periodStart: string) {
  const termEnd = currentTermEnd(terms, periodStart)
  const lastBeforeTermination = contract.terminatedOn ? addDays(contract.terminatedOn, -1) : termEnd
  return { start: contract.start, end: lastBeforeTermination < termEnd ? lastBeforeTermination : termEnd }
}
