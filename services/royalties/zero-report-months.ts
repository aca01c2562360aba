import { addMonths, monthStartOf } from '../kernel/calendar/months.ts'
import { guaranteePeriodOf } from '../kernel/calendar/contract-calendar.ts'
import type { ContractTerms } from '../rating/contract-terms.ts'
import { currentTermEnd } from '../contracts/current-term-end.ts'

/** Why closing a month files a zero report for a month nobody reported. */
export type ZeroReportReason = 'guarantee' | 'base fee'

export interface ZeroReportMonth {
  /** The month's first day, 2027-03-01. */
  month: string
  reasons: ZeroReportReason[]
}

/**
 * The months closing `monthStart` must file a zero report for, on one contract (a pure rule, shared by
 * closing and its preview): every month of a guarantee period that ends with this month (its shortfall
 * is charged), and this month itself when the contract has a base fee (fixed fees are billed on their
 * schedule whether or not a report comes; issue 30). A month a current report covers is skipped.
 */
export function zeroReportMonths(
  c: { terminatedOn: string | null; first: ContractTerms; latest: ContractTerms },
  monthStart: string,
  reported: readonly { start: string; end: string }[],
): ZeroReportMonth[] {
  const next = addMonths(monthStart, 1)
  const contractStartMonth = monthStartOf(c.first.term.start)
  const lastInForce = c.terminatedOn ?? currentTermEnd(c.latest, monthStart)
  const months = new Map<string, ZeroReportReason[]>()
  const mg = c.latest.minimumGuarantee
  if (mg) {
    const gp = guaranteePeriodOf(c.first.term.start, monthStart, mg.period)
    if (gp.end === next && gp.end > contractStartMonth && gp.start <= lastInForce)
      for (let m = gp.start > contractStartMonth ? gp.start : contractStartMonth; m < next; m = addMonths(m, 1))
        months.set(m, ['guarantee'])
  }
  if (c.latest.baseFee && monthStart >= contractStartMonth)
    months.set(monthStart, [...(months.get(monthStart) ?? []), 'base fee'])
  const due: ZeroReportMonth[] = []
  for (const [m, reasons] of [...months].sort(([a], [b]) => a.localeCompare(b))) {
    if (m > lastInForce) break
    if (reported.some((r) => r.start <= m && r.end > m)) continue
    due.push({ month: m, reasons })
  }
  return due
}
