import { divRoundHalfEven } from '../kernel/money/decimal.ts'

/** The window DSO looks back over: a quarter of days, as finance teams usually quote it. */
export const DSO_WINDOW_DAYS = 90

/**
 * Days sales outstanding (issue 29): how many days of recent billing the receivables amount to,
 * receivable × 90 / billed in the last 90 days, rounded half to even to whole days. Undefined (null)
 * when nothing was billed in the window: any number would be invented.
 */
export function daysSalesOutstanding(receivableMinor: bigint, billedMinor: bigint): number | null {
  if (billedMinor <= 0n) return null
  if (receivableMinor <= 0n) return 0
  return Number(divRoundHalfEven(receivableMinor * BigInt(DSO_WINDOW_DAYS), billedMinor))
}
