import { AppError } from '../platform/errors/app-error.ts'
import type { Actor } from '../identity/actor.ts'
import { allPartnersScope } from '../tenancy/tenant-guard.ts'
import { queueRunForRequest } from './queue-run-for-request.ts'

/**
 * A certification engineer queues a reproduction run of a badge's product, on a chosen runner of the partner or any.
 */
export async function queueReproduction(actor: Actor, badgeId: string, runnerId: string | undefined) {
  const { db } = allPartnersScope(actor, 'certification.view')
  const badge = await db.certBadge.findUnique({ where: { id: badgeId } })
  if (!badge) throw new AppError('not_found', 'No such badge.')
  return queueRunForRequest(actor, badge.requestId, runnerId)
}
