/**
 * The contributor-reward program's published rules (docs/decisions/012): how activity is scored, the
 * tiers of the top 50, how long credits last, when reminders go out, and in what order usage draws
 * from a contributor's lots. Pages quote these, so what a contributor reads is what the code does.
 */
import { formatMoney } from '../kernel/money/money.ts'
import { addDays, addMonths } from '../kernel/calendar/months.ts'

export const CREDIT_CURRENCY = 'USD'

/** Credits for people: $1,234.50. */
export const usd = (minor: bigint): string => formatMoney({ minor, currency: CREDIT_CURRENCY })

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

/**
 * What a lot is called: the tier whose amount it is. A manager may grant another amount than the rank's
 * tier (with a reason), and a $500 lot labelled "gold" would misstate what gold means.
 */
export function tierLabel(amountMinor: bigint): string {
  return TIERS.find((t) => t.amountMinor === amountMinor)?.tier ?? 'custom amount'
}

export function tierOf(rank: number | null): (typeof TIERS)[number] | null {
  if (rank === null) return null
  return TIERS.find((t) => rank <= t.upToRank) ?? null
}

/** Credits last 12 months from the day the contributor accepts them, to the end of that day (UTC). */
export const LOT_MONTHS = 12

const dayOf = (d: Date) => d.toISOString().slice(0, 10)

/** The first instant after the lot's last day (a 31st in a shorter month ends on its last day). */
export const expiryOf = (grantedAt: Date): Date =>
  new Date(`${addDays(addMonths(dayOf(grantedAt), LOT_MONTHS), 1)}T00:00:00Z`)

/** A lot's last day (UTC), from its expiry. */
export const lastDayOf = (expiresAt: Date): string => addDays(dayOf(expiresAt), -1)

/** Where contributors spend their credits: GGML Cloud is a separate product, not a page of this platform. */
export const GGML_CLOUD_URL = 'https://cloud.ggml.ai/'

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
