import type { Actor } from '../identity/actor.ts'
import { allPartnersScope } from '../tenancy/tenant-guard.ts'
import { independentRuns, type BadgeSummary } from './badges.ts'
import { activeRunnersOf, reproductionOf } from './partner-runners.ts'

/** Runner-verified badges waiting for a certification engineer, with what the review needs. */
export async function reviewQueue(actor: Actor) {
  const { db } = allPartnersScope(actor, 'certification.view')
  const badges = await db.certBadge.findMany({
    where: { assurance: 'runner-verified', revokedAt: null },
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
  const results = await db.certResult.findMany({ where: { jobId: { in: jobs.map((j) => j.id) }, accepted: true } })
  return Promise.all(
    badges.map(async (b) => {
      const summary = b.summary as unknown as BadgeSummary
      // Only another runner on another machine reproduces: the evidence shown is what approval accepts.
      const others = await independentRuns(
        db,
        b,
        results.filter((r) => r.id !== b.resultId && jobs.some((j) => j.id === r.jobId && j.requestId === b.requestId)),
      )
      return {
        id: b.id,
        organizationId: b.organizationId,
        partner: orgs.find((o) => o.id === b.organizationId)?.name ?? '',
        product: requests.find((r) => r.id === b.requestId)?.productName ?? '',
        summary,
        issuedAt: b.issuedAt.toISOString(),
        reproduction: reproductionOf(summary, others),
        runsPending: jobs.filter(
          (j) => j.requestId === b.requestId && ['preparing', 'queued', 'running', 'verifying'].includes(j.status),
        ).length,
        runners: runners(b.organizationId),
      }
    }),
  )
}
