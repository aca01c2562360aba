import type { Actor } from '../identity/actor.ts'
import { allPartnersScope } from '../tenancy/tenant-guard.ts'
import { activeRunnersOf } from './partner-runners.ts'
import { approvalPrerequisites } from './approval-prerequisites.ts'
import { readBadgeSummary } from './stored-certification.ts'

/**
 * Badges waiting for a certification engineer, flagged ones first (what the upload flagged, then
 * the evidence and whether approval is possible, with why not).
 */
export async function reviewQueue(actor: Actor) {
  const { db } = allPartnersScope(actor, 'certification.view')
  const badges = await db.certBadge.findMany({
    where: { assurance: { in: ['held', 'runner-verified'] }, revokedAt: null },
    orderBy: { issuedAt: 'asc' },
  })
  const requestIds = badges.map((b) => b.requestId)
  const [requests, orgs, jobs, runners] = await Promise.all([
    db.certRequest.findMany({ where: { id: { in: requestIds } } }),
    db.organization.findMany({
      where: { id: { in: badges.map((b) => b.organizationId) } },
      select: { id: true, name: true },
    }),
    db.certJob.findMany({
      where: { requestId: { in: requestIds } },
      select: { id: true, requestId: true, status: true },
    }),
    activeRunnersOf(
      db,
      badges.map((b) => b.organizationId),
    ),
  ])
  const queue = await Promise.all(
    badges.map(async (b) => {
      const summary = readBadgeSummary(b.summary)
      // The evidence shown is what approval accepts: one function decides both.
      const ready = await approvalPrerequisites(db, b)
      return {
        id: b.id,
        organizationId: b.organizationId,
        partner: orgs.find((o) => o.id === b.organizationId)?.name ?? '',
        product: requests.find((r) => r.id === b.requestId)?.productName ?? '',
        summary,
        issuedAt: b.issuedAt.toISOString(),
        held: b.assurance === 'held',
        flags: ready.flags,
        reproduction: ready.reproduction,
        approval: { allowed: ready.level !== null, level: ready.level, reason: ready.reason },
        runsPending: jobs.filter(
          (j) => j.requestId === b.requestId && ['preparing', 'queued', 'running', 'verifying'].includes(j.status),
        ).length,
        runners: runners(b.organizationId),
      }
    }),
  )
  // Anomalies first; oldest first within each.
  return queue.sort((a, b) => Number(b.flags.length > 0) - Number(a.flags.length > 0))
}
