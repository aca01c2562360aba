/** A rate card row as the selection needs it. */
export interface Rate {
  rateRole: string
  currency: string
  rateMinor: bigint
  effectiveFrom: string // YYYY-MM-DD
  customerId: string | null
  engagementId: string | null
}

/**
 * The hourly rate of a role on a day: the engagement's own rate if it has one in force, else the
 * customer's, else the standard rate; within a scope, the latest one effective on or before the day.
 */
export function selectRate(
  rates: readonly Rate[],
  q: { rateRole: string; currency: string; customerId: string; engagementId: string; day: string },
): Rate | null {
  const inForce = (scope: (r: Rate) => boolean) =>
    rates
      .filter((r) => r.rateRole === q.rateRole && r.currency === q.currency && r.effectiveFrom <= q.day && scope(r))
      .sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom))[0] ?? null
  return (
    inForce((r) => r.engagementId === q.engagementId) ??
    inForce((r) => r.engagementId === null && r.customerId === q.customerId) ??
    inForce((r) => r.engagementId === null && r.customerId === null)
  )
}

/** What `minutes` bill at an hourly rate: rounded half to even, once, to the minor unit. */
export function amountFor(minutes: number, rateMinor: bigint): bigint {
  const n = BigInt(minutes) * rateMinor
  const q = n / 60n
  const r = n % 60n
  if (r * 2n > 60n || (r * 2n === 60n && q % 2n === 1n)) return q + 1n
  return q
}
