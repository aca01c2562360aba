// Dates are ISO days ("2027-01-31"); ranges are half-open, [start, end).
import { z } from 'zod'

/**
 * The days the books can hold. A date outside them is a typo, and year 0000 or 9999 broke the database's
 * date arithmetic (a 500 for a typed date), so every date a person or client types is held to them.
 */
const FIRST_DAY = '1970-01-01'
const LAST_DAY = '2999-12-31'
const inRange = (day: string) => day >= FIRST_DAY && day <= LAST_DAY

/** An ISO day within the books' range; `message` says how to write one. */
export const bookDay = (message: string) =>
  z.iso.date(message).refine(inRange, `Use a date between ${FIRST_DAY} and ${LAST_DAY}.`)

/** "2027-03": a calendar month within the books' range. */
export const isBookMonth = (month: string): boolean => /^\d{4}-(0[1-9]|1[0-2])$/.test(month) && inRange(`${month}-01`)

export function addMonths(date: string, months: number): string {
  const d = new Date(`${date}T00:00:00Z`)
  const day = d.getUTCDate()
  d.setUTCDate(1)
  d.setUTCMonth(d.getUTCMonth() + months)
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate()
  d.setUTCDate(Math.min(day, last))
  return d.toISOString().slice(0, 10)
}

export const addDays = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)

export const daysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000)

export const monthsBetween = (from: string, to: string): number =>
  (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7))

/** The first day of the calendar quarter that contains the date. */
export const quarterStartOf = (date: string): string =>
  `${date.slice(0, 4)}-${String(Math.floor((Number(date.slice(5, 7)) - 1) / 3) * 3 + 1).padStart(2, '0')}-01`

export const monthStartOf = (date: string): string => `${date.slice(0, 7)}-01`
