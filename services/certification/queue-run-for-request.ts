import { AppError } from '../platform/errors/app-error.ts'
import type { Actor } from '../identity/actor.ts'
import { allPartnersScope, tenantScope } from '../tenancy/tenant-guard.ts'
import { queueCertJob } from './queue-cert-job.ts'

/** A certification engineer queues a run of any partner's open request (one without a badge in force yet). */
export async function queueRunForRequest(actor: Actor, requestId: string, runnerId: string | undefined) {
  const { db } = allPartnersScope(actor, 'certification.view')
  const request = await db.certRequest.findUnique({ where: { id: requestId } })
  if (!request) throw new AppError('not_found', 'No such certification request.')
  return queueCertJob(await tenantScope(actor, { id: request.organizationId }, 'certification.view'), request.id, {
    runnerId,
  })
}
