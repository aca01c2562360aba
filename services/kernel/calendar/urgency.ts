// How loudly a deadline with money behind it is shown (issue 29): credits about to expire, an invoice
// falling due, a royalty report due. One rule for every page, so amber and red mean the same everywhere.
import { daysBetween } from './months.ts'

export type Urgency = 'calm' | 'amber' | 'red'

/** Amber under this many days left. */
export const AMBER_UNDER_DAYS = 30
/** Red under this many days left; anything already past its day is red too. */
export const RED_UNDER_DAYS = 7

export function urgencyOf(daysLeft: number): Urgency {
  if (daysLeft < RED_UNDER_DAYS) return 'red'
  if (daysLeft < AMBER_UNDER_DAYS) return 'amber'
  return 'calm'
}

/**
 * Whole days from today until the end of `lastDay` (both ISO days, UTC): 1 on the last day itself,
 * 0 or less once it has passed. "Expires in 13 days" means 13 days of use are left, today included.
 */
export const daysLeftUntilEndOf = (today: string, lastDay: string): number => daysBetween(today, lastDay) + 1

/**
 * Days until a due date (an invoice's due day, a report's due day): 0 on the day itself, negative once
 * overdue.
 */
export const daysUntil = (today: string, dueDay: string): number => daysBetween(today, dueDay)
