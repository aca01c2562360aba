/**
 * The contributor-reward program's published rules (docs/decisions/012): how activity is scored, the
 * tiers of the top 50, how long credits last, when reminders go out, and in what order usage draws
 * from a contributor's lots. Pages quote these, so what a contributor reads is what the code does.
 */
export const CREDIT_CURRENCY = 'USD'

/** Points per unit of activity in the year, in the order a score is explained. */
export const SCORE_WEIGHTS = [
  { key: 'mergedPulls', label: 'merged pull requests', points: 10 },
  { key: 'reviews', label: 'reviews of others’ pull requests', points: 3 },
  { key: 'issuesTriaged', label: 'issues triaged (labelled, assigned or closed)', points: 1 },
] as const

export type Activity = { mergedPulls: number; reviews: number; issuesTriaged: number }

export const scoreOf = (a: Activity): number => SCORE_WEIGHTS.reduce((s, w) => s + a[w.key] * w.points, 0)

export const RECIPIENTS = 50

/** Tiers by rank: the amount each proposes (a manager may propose another amount, with a reason). */
export const TIERS = [
  { tier: 'gold', upToRank: 10, amountMinor: 200_000n },
  { tier: 'silver', upToRank: 25, amountMinor: 100_000n },
  { tier: 'bronze', upToRank: 50, amountMinor: 50_000n },
] as const

export type Tier = (typeof TIERS)[number]['tier']

export function tierOf(rank: number | null): (typeof TIERS)[number] | null {
  if (rank === null) return null
  return TIERS.find((t) => rank <= t.upToRank) ?? null
}

/** Credits last 12 months from the day the contributor accepts them, to the end of that day (UTC). */
export const LOT_MONTHS = 12

export function expiryOf(grantedAt: Date): Date {
  const d = new Date(Date.UTC(grantedAt.getUTCFullYear(), grantedAt.getUTCMonth() + LOT_MONTHS, grantedAt.getUTCDate()))
  // Day 31 in a shorter month rolls over: the lot ends at the end of the month's last day instead.
  if (d.getUTCDate() !== grantedAt.getUTCDate()) d.setUTCDate(0)
  return new Date(d.getTime() + 86_400_000) // the first instant after the lot's last day
}

/** Days before expiry at which a reminder goes out, each once. */
export const REMINDER_DAYS = [60, 30, 7] as const

export const CATEGORIES = ['inference', 'fine_tuning', 'storage'] as const
export type CreditCategory = (typeof CATEGORIES)[number]
export const categoryLabel: Record<CreditCategory, string> = {
  inference: 'Inference',
  fine_tuning: 'Fine-tuning',
  storage: 'Storage',
}

export const DRAWDOWN_ORDER =
  'Usage is paid from the lot that expires soonest; between lots expiring together, a lot restricted to ' +
  'the usage’s service category pays before an unrestricted one; then the oldest lot. A restricted lot ' +
  'pays only for its category; a paused lot pays nothing. What the lots do not cover is billed by GGML Cloud.'
