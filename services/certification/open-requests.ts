import type { Actor } from '../identity/actor.ts'
import { allPartnersScope } from '../tenancy/tenant-guard.ts'
import { activeRunnersOf } from './partner-runners.ts'

/** Requests of every partner that hold no badge in force and are not withdrawn: where an engineer may queue a run. */
export async function openRequests(actor: Actor) {
  const { db } = allPartnersScope(actor, 'certification.view')
  const requests = await db.certRequest.findMany({
    where: { withdrawnAt: null },
    orderBy: { createdAt: 'desc' },
    take: 200,
  })
  const [badges, jobs, orgs, runners] = await Promise.all([
    db.certBadge.findMany({
      where: { requestId: { in: requests.map((r) => r.id) }, revokedAt: null },
      select: { requestId: true },
    }),
    db.certJob.findMany({
      where: { requestId: { in: requests.map((r) => r.id) } },
      select: { requestId: true, status: true, progress: true },
      orderBy: { createdAt: 'desc' },
    }),
    db.organization.findMany({
      where: { id: { in: requests.map((r) => r.organizationId) } },
      select: { id: true, name: true },
    }),
    activeRunnersOf(
      db,
      requests.map((r) => r.organizationId),
    ),
  ])
  return requests
    .filter((r) => !badges.some((b) => b.requestId === r.id))
    .map((r) => {
      const latest = jobs.find((j) => j.requestId === r.id)
      return {
        id: r.id,
        partner: orgs.find((o) => o.id === r.organizationId)?.name ?? '',
        product: `${r.productName} (${r.sku})`,
        latest: latest ? `${latest.status}${latest.progress ? `: ${latest.progress}` : ''}` : 'no run yet',
        runners: runners(r.organizationId),
      }
    })
}
