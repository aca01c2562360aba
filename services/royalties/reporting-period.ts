import { addMonths } from '#services/kernel/calendar/months.ts'

export interface ReportingPeriod {
  tag: string
  start: string
  /** Exclusive. */
  end: string
  months: number
}

/** "2027-Q1" or "2027-03": the reporting periods partners use. */
export function parsePeriod(text: string): ReportingPeriod | null {
  const q = /^(\d{4})-Q([1-4])$/i.exec(text.trim())
  if (q) {
    const start = `${q[1]}-${String((Number(q[2]) - 1) * 3 + 1).padStart(2, '0')}-01`
    return { tag: `${q[1]}-Q${q[2]}`, start, end: addMonths(start, 3), months: 3 }
  }
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(text.trim())
  if (m) {
    const start = `${m[1]}-${m[2]}-01`
    return { tag: `${m[1]}-${m[2]}`, start, end: addMonths(start, 1), months: 1 }
  }
  return null
}

export function periodOf(start: string, months: number): ReportingPeriod {
  const tag =
    months === 3 ? `${start.slice(0, 4)}-Q${Math.floor((Number(start.slice(5, 7)) - 1) / 3) + 1}` : start.slice(0, 7)
  return { tag, start, end: addMonths(start, months), months }
}
