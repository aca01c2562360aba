import { daysLeftUntilEndOf, urgencyOf } from '../kernel/calendar/urgency.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { accountBalances } from '../ledger/balances.ts'
import { toCsv } from '../platform/csv/csv.ts'
import { formatDecimal } from '../kernel/money/decimal.ts'
import { now } from '../platform/clock.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { categoryLabel, DRAWDOWN_ORDER, SCORE_WEIGHTS, tierLabel, tierOf, usd, lastDayOf } from './program-terms.ts'

export interface ActivityRow {
  at: Date
  kind: 'grant' | 'spend' | 'uncovered' | 'expiry' | 'revocation'
  description: string
  lotId: string | null
  amountMinor: bigint
}

/**
 * Everything a contributor sees of their credits: each lot with what it still holds and when it
 * expires, the balance from the books (and the check that it equals the lots'), every spend, expiry
 * and revocation, and how their score was computed.
 */
export async function contributorAccount(scope: TenantScope) {
  assertCan(scope, 'rewards.view')
  if (scope.organization.kind !== 'contributor') throw new AppError('not_found', 'No such contributor account.')
  const [grants, usages, balances] = await Promise.all([
    scope.db.creditGrant.findMany({
      orderBy: [{ year: 'desc' }, { createdAt: 'asc' }],
      include: { draws: { select: { kind: true, amountMinor: true, createdAt: true, usageId: true } } },
    }),
    scope.db.creditUsage.findMany({
      orderBy: { occurredAt: 'desc' },
      take: 1000,
      include: { draws: { select: { grantId: true, amountMinor: true } } },
    }),
    accountBalances(scope.db, scope.organization.id),
  ])
  const at = now()
  const visible = grants.filter((g) => g.status === 'approved')
  const lots = visible.map((g) => {
    const drawn = (k: string) => g.draws.filter((d) => d.kind === k).reduce((s, d) => s + d.amountMinor, 0n)
    const spent = drawn('spend')
    const expired = drawn('expiry')
    const revoked = drawn('revocation')
    const remaining = g.grantedAt ? g.amountMinor - spent - expired - revoked : 0n
    const state = !g.grantedAt
      ? 'waiting for you to accept'
      : g.revokedAt
        ? 'revoked'
        : g.expiresAt! <= at
          ? 'expired'
          : g.paused
            ? 'paused'
            : 'active'
    return {
      id: g.id,
      year: g.year,
      tier: tierLabel(g.amountMinor),
      amountMinor: g.amountMinor,
      category: g.category ? categoryLabel[g.category] : 'Any service',
      grantedAt: g.grantedAt,
      expiresAt: g.expiresAt,
      lastDay: g.expiresAt ? lastDayOf(g.expiresAt) : null,
      spentMinor: spent,
      expiredMinor: expired,
      revokedMinor: revoked,
      remainingMinor: remaining,
      listPublicly: g.listPublicly,
      state,
      reason: g.revocationReason,
    }
  })
  const creditBalance = -(balances.find((b) => b.type === 'contributor_credit')?.balanceMinor ?? 0n)
  const lotsBalance = lots.reduce((s, l) => s + l.remainingMinor, 0n)
  const activity: ActivityRow[] = []
  for (const g of visible) {
    if (g.grantedAt)
      activity.push({
        at: g.grantedAt,
        kind: 'grant',
        description: `${g.year} credits granted (${tierLabel(g.amountMinor)})`,
        lotId: g.id,
        amountMinor: g.amountMinor,
      })
    for (const d of g.draws.filter((d) => d.kind !== 'spend'))
      activity.push({
        at: d.createdAt,
        kind: d.kind === 'expiry' ? 'expiry' : 'revocation',
        description: d.kind === 'expiry' ? 'Expired unspent' : `Revoked: ${g.revocationReason ?? ''}`,
        lotId: g.id,
        amountMinor: -d.amountMinor,
      })
  }
  for (const u of usages) {
    for (const d of u.draws)
      activity.push({
        at: u.occurredAt,
        kind: 'spend',
        description: `GGML Cloud ${categoryLabel[u.category]}`,
        lotId: d.grantId,
        amountMinor: -d.amountMinor,
      })
    if (u.amountMinor > u.coveredMinor)
      activity.push({
        at: u.occurredAt,
        kind: 'uncovered',
        description: `GGML Cloud ${categoryLabel[u.category]}: billed, not covered by credits`,
        lotId: null,
        amountMinor: u.amountMinor - u.coveredMinor,
      })
  }
  activity.sort((a, b) => b.at.getTime() - a.at.getTime())
  // The expiry schedule: what will expire on each lot's last day if nothing more is spent (an empty lot
  // expires nothing, so it is not "next").
  const schedule = lots
    .filter((l) => (l.state === 'active' || l.state === 'paused') && l.remainingMinor > 0n)
    .map((l) => ({ lastDay: l.lastDay!, amountMinor: l.remainingMinor, lotId: l.id }))
    .sort((a, b) => a.lastDay.localeCompare(b.lastDay))
  // What expires next, and how loudly to say so (issue 29): lots sharing the earliest last day together.
  const firstDay = schedule[0]?.lastDay
  const expiringMinor = schedule.filter((s) => s.lastDay === firstDay).reduce((sum, s) => sum + s.amountMinor, 0n)
  const daysLeft = firstDay ? daysLeftUntilEndOf(at.toISOString().slice(0, 10), firstDay) : null
  const nextExpiry =
    firstDay && daysLeft !== null
      ? {
          lastDay: firstDay,
          amountMinor: expiringMinor,
          daysLeft,
          urgency: urgencyOf(daysLeft),
          percentOfBalance: creditBalance > 0n ? Number((expiringMinor * 100n) / creditBalance) : 100,
        }
      : null
  const logins = [...new Set(grants.map((g) => g.login))]
  const scores = await scope.db.contributorScore.findMany({
    where: { login: { in: logins } },
    include: { snapshot: { select: { year: true, takenAt: true } } },
    orderBy: { snapshot: { year: 'desc' } },
  })
  return {
    organization: scope.organization,
    lots,
    balanceMinor: creditBalance,
    booksAgree: creditBalance === lotsBalance,
    activity,
    schedule,
    nextExpiry,
    drawdownOrder: DRAWDOWN_ORDER,
    scores: scores.map((s) => explainScore(s)),
  }
}

export function explainScore(s: {
  login: string
  mergedLogins: string[]
  mergedPulls: number
  reviews: number
  issuesTriaged: number
  score: number
  rank: number | null
  excluded: string | null
  snapshot: { year: number; takenAt: Date }
}) {
  const tier = tierOf(s.rank)
  return {
    year: s.snapshot.year,
    login: s.login,
    takenAt: s.snapshot.takenAt,
    lines: SCORE_WEIGHTS.map((w) => ({
      label: w.label,
      count: s[w.key],
      points: w.points,
      subtotal: s[w.key] * w.points,
    })),
    mergedLogins: s.mergedLogins,
    score: s.score,
    rank: s.rank,
    excluded: s.excluded,
    tier: tier ? `${tier.tier} (${usd(tier.amountMinor)})` : null,
  }
}

export function activityCsv(rows: ActivityRow[]): string {
  return toCsv([
    ['date', 'kind', 'description', 'lot', 'amount_usd'],
    ...rows.map((r) => [
      r.at.toISOString().slice(0, 10),
      r.kind,
      r.description,
      r.lotId ?? '',
      formatDecimal(r.amountMinor, 2),
    ]),
  ])
}
