import { addMonths } from '../kernel/calendar/months.ts'
import type { ContractTerms } from '../rating/contract-terms.ts'

/** The end of the term, rolled forward by automatic renewals up to the period containing today. */
export function currentTermEnd(t: ContractTerms, today: string): string {
  let end = t.term.end
  if (t.term.renewal.kind !== 'automatic') return end
  const months = t.term.renewal.periodMonths
  while (end < today) end = addMonths(end, months)
  return end
}
