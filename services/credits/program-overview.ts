import { unscopedDb } from '../platform/db/unscoped.ts'
import type { Actor } from '../identity/actor.ts'
import { now } from '../platform/clock.ts'
import { readPage } from '../platform/paging.ts'
import { explainScore } from './contributor-account.ts'
import { categoryLabel, TIERS, type CreditCategory, lastDayOf, tierLabel } from './program-terms.ts'
import { assertCanAsStaff } from '../tenancy/tenant-guard.ts'

/**
 * The program manager's view of a year: budget and what is approved of it, the snapshot's ranking
 * with each score explained, proposals and revocations waiting for a second person, every grant,
 * breakage (credits that expired unspent) and spend by category per month.
 */
export async function programOverview(
  actor: Actor,
  year?: number,
  /** The ranking is paged and searchable by login: a snapshot counts thousands of accounts (issue 29). */
  rankingView: { q?: string; page: number } = { page: 1 },
) {
  assertCanAsStaff(actor, 'rewards.view_program')
  const [programs, snapshots] = await Promise.all([
    unscopedDb('staff view').creditProgram.findMany({ orderBy: { year: 'desc' } }),
    unscopedDb('staff view').contributionSnapshot.findMany({ orderBy: { year: 'desc' }, select: { year: true } }),
  ])
  const y = year ?? programs[0]?.year ?? snapshots[0]?.year ?? now().getUTCFullYear()
  const program = programs.find((p) => p.year === y) ?? null
  const snapshot = await unscopedDb('staff view').contributionSnapshot.findUnique({ where: { year: y } })
  const rankingWhere = {
    snapshotId: snapshot?.id ?? '',
    login: rankingView.q ? { contains: rankingView.q, mode: 'insensitive' as const } : undefined,
  }
  const ranking = readPage(
    { page: rankingView.page },
    (w) =>
      snapshot
        ? unscopedDb('staff view').contributorScore.findMany({
            where: rankingWhere,
            orderBy: [{ rank: { sort: 'asc', nulls: 'last' } }, { score: 'desc' }, { login: 'asc' }],
            ...w,
          })
        : Promise.resolve([]),
    () => (snapshot ? unscopedDb('staff view').contributorScore.count({ where: rankingWhere }) : Promise.resolve(0)),
  )
  const [{ rows: ranked, ...rankingPage }, counted, grants] = await Promise.all([
    ranking,
    snapshot ? unscopedDb('staff view').contributorScore.count({ where: { snapshotId: snapshot.id } }) : 0,
    unscopedDb('staff view').creditGrant.findMany({
      where: { year: y },
      orderBy: { createdAt: 'asc' },
      include: { organization: { select: { slug: true } } },
    }),
  ])
  const grantIds = grants.map((g) => g.id)
  // What each lot gave, summed by the database: a year's draws are one per usage report (thousands), and
  // loading them to add them up in JavaScript made this the slowest staff page (issue 31).
  const [people, drawnRows, byMonth] = await Promise.all([
    peopleNamed(grants),
    grantIds.length
      ? unscopedDb('staff view').creditDraw.groupBy({
          by: ['grantId', 'kind'],
          where: { grantId: { in: grantIds } },
          _sum: { amountMinor: true },
        })
      : [],
    grantIds.length
      ? unscopedDb('staff view').$queryRaw<{ month: string; category: CreditCategory; covered: bigint }[]>`
        SELECT to_char(date_trunc('month', u."occurredAt"), 'YYYY-MM') AS month, u."category"::text AS category,
               SUM(d."amountMinor")::bigint AS covered
          FROM "CreditDraw" d JOIN "CreditUsage" u ON u."id" = d."usageId"
         WHERE d."grantId" = ANY(${grantIds}) AND d."kind" = 'spend'
         GROUP BY 1, 2 ORDER BY 1, 2`
      : [],
  ])
  const drawn = (grantId: string | null, kind: string) =>
    drawnRows
      .filter((r) => (grantId === null || r.grantId === grantId) && r.kind === kind)
      .reduce((sum, r) => sum + (r._sum.amountMinor ?? 0n), 0n)
  const nameOf = (id: string | null) => (id ? (people.find((p) => p.id === id)?.name ?? 'someone') : null)
  const approvedMinor = grants.filter((g) => g.status === 'approved').reduce((s, g) => s + g.amountMinor, 0n)

  const grantByLogin = new Map(grants.map((g) => [g.login, g]))
  return {
    year: y,
    years: [...new Set([...programs.map((p) => p.year), ...snapshots.map((s) => s.year), y])].sort((a, b) => b - a),
    program: program && {
      budgetMinor: program.budgetMinor,
      approvedMinor,
      leftMinor: program.budgetMinor - approvedMinor,
    },
    snapshot: snapshot && {
      takenAt: snapshot.takenAt,
      source: snapshot.source,
      repositories: snapshot.repositories,
      counted,
    },
    tiers: TIERS,
    rankingPage,
    ranking: ranked.map((s) => {
      const g = grantByLogin.get(s.login)
      return {
        ...explainScore({ ...s, snapshot: { year: y, takenAt: snapshot!.takenAt } }),
        email: s.email,
        name: s.name,
        grant: g ? { status: g.status, id: g.id } : null,
      }
    }),
    grants: grants.map((g) => ({
      id: g.id,
      login: g.login,
      account: g.organization.slug,
      tier: tierLabel(g.amountMinor),
      amountMinor: g.amountMinor,
      category: g.category ? categoryLabel[g.category] : 'Any service',
      status: g.status,
      reason: g.reason,
      proposedBy: nameOf(g.proposedById),
      mine: g.proposedById === actor.userId,
      decidedBy: nameOf(g.decidedById),
      accepted: !!g.grantedAt,
      lastDay: g.expiresAt ? lastDayOf(g.expiresAt) : null,
      paused: g.paused,
      revokedAt: g.revokedAt,
      revocation:
        g.revocationById && !g.revokedAt
          ? { by: nameOf(g.revocationById), mine: g.revocationById === actor.userId, reason: g.revocationReason }
          : null,
      spentMinor: drawn(g.id, 'spend'),
    })),
    spentMinor: drawn(null, 'spend'),
    breakageMinor: drawn(null, 'expiry'),
    revokedMinor: drawn(null, 'revocation'),
    spendByMonth: byMonth.map((r) => ({
      month: r.month,
      category: categoryLabel[r.category],
      coveredMinor: r.covered,
    })),
  }
}

/** The people who proposed, decided or asked to revoke these grants, by id. */
function peopleNamed(
  grants: { proposedById: string | null; decidedById: string | null; revocationById: string | null }[],
) {
  const ids = [...new Set(grants.flatMap((g) => [g.proposedById, g.decidedById, g.revocationById]))]
  return unscopedDb('staff view').user.findMany({
    where: { id: { in: ids.filter((x): x is string => !!x) } },
    select: { id: true, name: true },
  })
}

/** This year's recipients who chose to be named, for the public page. */
export async function publicRecipients(year: number) {
  const grants = await unscopedDb('public page').creditGrant.findMany({
    where: { year, status: 'approved', grantedAt: { not: null }, listPublicly: true, revokedAt: null },
    orderBy: [{ amountMinor: 'desc' }, { login: 'asc' }],
    select: { login: true, amountMinor: true },
  })
  return grants.map((g) => ({ login: g.login, tier: tierLabel(g.amountMinor) }))
}
