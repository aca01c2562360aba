import { divRoundHalfEven } from '../money/decimal.ts'
import { addDays, addMonths, daysBetween, monthsBetween, quarterStartOf } from './months.ts'

/**
 * How a contract's time is divided (docs/decisions/010-contract-calendar.md). Partners report
 * calendar months and quarters; a contract may start and end on any day.
 * - The contract's calendar is anchored at the first day of the calendar quarter holding its start,
 *   so every monthly and quarterly report falls inside one contract year and one guarantee period.
 * - Contract year k is the 12 months from anchor + 12k: tiers and the cap count per contract year.
 * - A quarterly guarantee runs per calendar quarter, a yearly one per contract year.
 * - Fixed amounts (base fees, guarantees) are charged for the days the contract is in force in their
 *   period: amount × days in force / days in the period, rounded half to even once.
 */
export interface Range {
  start: string
  /** Exclusive. */
  end: string
}

export interface ContractDates {
  /** First day in force. */
  start: string
  /** Last day in force (inclusive), after renewals. */
  end: string
}

export const calendarAnchor = (contractStart: string): string => quarterStartOf(contractStart)

export function contractYearOf(contractStart: string, date: string): { index: number } & Range {
  const anchor = calendarAnchor(contractStart)
  const index = Math.floor(monthsBetween(anchor, date) / 12)
  return { index, start: addMonths(anchor, 12 * index), end: addMonths(anchor, 12 * (index + 1)) }
}

export function guaranteePeriodOf(
  contractStart: string,
  date: string,
  period: 'quarter' | 'year',
): { index: number; key: string } & Range {
  const months = period === 'quarter' ? 3 : 12
  const anchor = calendarAnchor(contractStart)
  const index = Math.floor(monthsBetween(anchor, date) / months)
  const start = addMonths(anchor, months * index)
  return { index, key: `${period}:${index}`, start, end: addMonths(anchor, months * (index + 1)) }
}

/** The days of a range the contract is in force. */
export function daysInForce(range: Range, contract: ContractDates): number {
  const from = range.start > contract.start ? range.start : contract.start
  const lastExclusive = addDays(contract.end, 1)
  const to = range.end < lastExclusive ? range.end : lastExclusive
  return Math.max(0, daysBetween(from, to))
}

export const daysIn = (range: Range): number => daysBetween(range.start, range.end)

/** A fixed amount for a range, charged for the days in force only. */
export function prorate(amountMinor: bigint, range: Range, contract: ContractDates) {
  const total = daysIn(range)
  const active = daysInForce(range, contract)
  return {
    amountMinor: active === total ? amountMinor : divRoundHalfEven(amountMinor * BigInt(active), BigInt(total)),
    activeDays: active,
    totalDays: total,
  }
}
