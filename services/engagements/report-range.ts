import { z } from 'zod'
import { addDays, addMonths, daysBetween, monthStartOf, quarterStartOf } from '../kernel/calendar/months.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { todayUtc } from '../platform/clock.ts'

const day = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter a date like 2027-03-01.')
export const reportRangeSchema = z.object({ from: day.optional(), to: day.optional() })

export interface ReportRange {
  from: string
  to: string
}

/** The last calendar month that has ended: what a services report opens on (issue 29). */
export function lastFullMonth(today: string): ReportRange {
  const thisMonth = monthStartOf(today)
  return { from: addMonths(thisMonth, -1), to: addDays(thisMonth, -1) }
}

/**
 * The ranges a services lead asks for most, as links: last month and last quarter (both ended, so
 * their time is approved and comparable) and the year so far.
 */
export function reportPresets(today = todayUtc()): { key: string; label: string; range: ReportRange }[] {
  const quarter = quarterStartOf(today)
  return [
    { key: 'last-month', label: 'Last month', range: lastFullMonth(today) },
    { key: 'last-quarter', label: 'Last quarter', range: { from: addMonths(quarter, -3), to: addDays(quarter, -1) } },
    { key: 'year-to-date', label: 'Year to date', range: { from: `${today.slice(0, 4)}-01-01`, to: today } },
  ]
}

/**
 * The range a report covers: as given; with neither end, the last full month (month-to-date opened on
 * an empty first week, all zeros); an end alone starts at its month's first day; a start alone runs
 * to today. At most two years.
 */
export function reportRange(input: z.input<typeof reportRangeSchema>, today = todayUtc()): ReportRange {
  const parsed = reportRangeSchema.safeParse(input)
  if (!parsed.success)
    throw new AppError('invalid_input', 'Check the dates.', { from: [parsed.error.issues[0]!.message] })
  const { from: f, to: t } = parsed.data
  if (!f && !t) return lastFullMonth(today)
  const to = t ?? today
  const from = f ?? monthStartOf(to)
  if (from > to)
    throw new AppError('invalid_input', 'Check the dates.', { from: ['The start is on or before the end.'] })
  if (daysBetween(from, to) > 731)
    throw new AppError('invalid_input', 'Check the dates.', { from: ['A report covers at most two years.'] })
  return { from, to }
}
