import type { TenantScope } from '../tenancy/tenant-guard.ts'
import { compareRun, type BadgeSummary, type RunComparison } from './badges.ts'

/** Who runs a job: the runner that claimed it, else the one it was queued for, else any. */
export function runnerLabel(
  runners: { id: string; name: string }[],
  j: { assignedRunnerId: string | null; claimedByRunnerId: string | null },
): string {
  const name = (id: string) => runners.find((r) => r.id === id)?.name ?? 'a removed runner'
  if (j.claimedByRunnerId) return name(j.claimedByRunnerId)
  return j.assignedRunnerId ? `${name(j.assignedRunnerId)} (queued for it)` : 'any runner'
}

/** The runners an engineer may queue a partner's run on, by organization. */
export async function activeRunnersOf(db: Pick<TenantScope['db'], 'certRunner'>, organizationIds: string[]) {
  const runners = await db.certRunner.findMany({
    where: { organizationId: { in: organizationIds }, revokedAt: null },
    select: { id: true, name: true, organizationId: true },
  })
  return (organizationId: string) =>
    runners.filter((r) => r.organizationId === organizationId).map((r) => ({ id: r.id, name: r.name }))
}

/** The closest other accepted run of the product: the evidence a reviewed badge rests on, shown before approving. */
export function reproductionOf(s: BadgeSummary, others: { id: string; payload: unknown }[]): RunComparison | null {
  const worst = (c: RunComparison) => Math.max(Math.abs(c.ppDelta), Math.abs(c.tgDelta))
  let best: RunComparison | null = null
  for (const r of others) {
    const c = compareRun(s, r)
    if (c && (!best || worst(c) < worst(best))) best = c
  }
  return best
}

/**
 * Whether the organization has a runner that can pick up a job: a request made without one waits for
 * nobody, and the partner must be told to register one rather than to wait for a poll (issue 29).
 */
export async function hasActiveRunner(scope: TenantScope): Promise<boolean> {
  return (await scope.db.certRunner.count({ where: { revokedAt: null } })) > 0
}
