import { daysBetween } from '../kernel/calendar/months.ts'

/** Receivables aging as finance reads it (issue 29): not yet due, then 30-day steps past the due date. */
export const AGING_BUCKETS = ['current', '1-30', '31-60', '61-90', '90+'] as const
export type AgingBucket = (typeof AGING_BUCKETS)[number]

export const agingBucketLabel: Record<AgingBucket, string> = {
  current: 'Not yet due',
  '1-30': '1–30 days late',
  '31-60': '31–60 days late',
  '61-90': '61–90 days late',
  '90+': 'Over 90 days late',
}

/** Days past due on `today` (0 or less: not yet due); an invoice without a due date is due at once. */
export const daysLate = (dueDate: string | null, today: string): number => (dueDate ? daysBetween(dueDate, today) : 0)

export function agingBucketOf(dueDate: string | null, today: string): AgingBucket {
  const late = daysLate(dueDate, today)
  return late <= 0 ? 'current' : late <= 30 ? '1-30' : late <= 60 ? '31-60' : late <= 90 ? '61-90' : '90+'
}

export const isAgingBucket = (v: unknown): v is AgingBucket => (AGING_BUCKETS as readonly unknown[]).includes(v)
