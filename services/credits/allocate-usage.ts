import type { CreditCategory } from './program-terms.ts'

export interface Lot {
  id: string
  /** What the lot still holds. */
  remainingMinor: bigint
  grantedAt: Date
  /** The first instant after the lot's last day. */
  expiresAt: Date
  category: CreditCategory | null
  paused: boolean
  revoked: boolean
}

export interface Allocation {
  draws: { lotId: string; amountMinor: bigint }[]
  coveredMinor: bigint
  uncoveredMinor: bigint
}

/** Lots that may pay for usage of `category` at `at`. */
export const lotPays = (lot: Lot, category: CreditCategory, at: Date) =>
  !lot.paused &&
  !lot.revoked &&
  lot.remainingMinor > 0n &&
  lot.grantedAt.getTime() <= at.getTime() &&
  at.getTime() < lot.expiresAt.getTime() &&
  (lot.category === null || lot.category === category)

/**
 * The documented drawdown order (program-terms.ts DRAWDOWN_ORDER): soonest expiry, then restricted
 * before unrestricted, then oldest; ties by id so the order is total.
 */
export function drawdownOrder(a: Lot, b: Lot): number {
  return (
    a.expiresAt.getTime() - b.expiresAt.getTime() ||
    (a.category === null ? 1 : 0) - (b.category === null ? 1 : 0) ||
    a.grantedAt.getTime() - b.grantedAt.getTime() ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  )
}

export function allocateUsage(
  lots: Lot[],
  usage: { category: CreditCategory; amountMinor: bigint; at: Date },
): Allocation {
  let left = usage.amountMinor
  const draws: Allocation['draws'] = []
  for (const lot of lots.filter((l) => lotPays(l, usage.category, usage.at)).sort(drawdownOrder)) {
    if (left === 0n) break
    const take = lot.remainingMinor < left ? lot.remainingMinor : left
    draws.push({ lotId: lot.id, amountMinor: take })
    left -= take
  }
  return { draws, coveredMinor: usage.amountMinor - left, uncoveredMinor: left }
}
