import { z } from 'zod'
import { appendToPublicLog, withdrawalCheck, payloadSha256 } from './public-log.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { now } from '../platform/clock.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { recordAuditEvent, auditActorOf } from '../platform/audit/record-audit-event.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

export const withdrawSchema = z.object({
  reason: z.string().trim().min(3, 'Say why you withdraw the request: the public log shows it.').max(300),
})
/**
 * The partner withdraws a product from certification: unfinished jobs stop, badges in force are
 * revoked, and every result already submitted is logged again as withdrawn, so a withdrawal cannot
 * quietly hide a run. Scope: certification.view (who may request may withdraw).
 */
export async function withdrawCertRequest(
  scope: TenantScope,
  requestId: string,
  input: z.input<typeof withdrawSchema>,
) {
  assertCan(scope, 'certification.withdraw')
  const { reason } = parseInput(withdrawSchema, input)
  return scope.db.$transaction(async (tx) => {
    const request = await tx.certRequest.findFirst({ where: { id: requestId } })
    if (!request) throw new AppError('not_found', 'No such certification request.')
    if (request.withdrawnAt) throw new AppError('conflict', 'This request was already withdrawn.')
    const at = now()
    await tx.certRequest.update({ where: { id: request.id }, data: { withdrawnAt: at, withdrawalReason: reason } })
    const stopped = await tx.certJob.updateMany({
      where: { requestId: request.id, status: { in: ['preparing', 'queued', 'running', 'verifying'] } },
      data: { status: 'withdrawn', progress: 'withdrawn by the partner', leaseExpiresAt: null },
    })
    const revoked = await tx.certBadge.updateMany({
      where: { requestId: request.id, revokedAt: null },
      data: { revokedAt: at },
    })
    const jobs = await tx.certJob.findMany({ where: { requestId: request.id }, select: { id: true } })
    const results = await tx.certResult.findMany({
      where: { jobId: { in: jobs.map((j) => j.id) } },
      orderBy: { createdAt: 'asc' },
    })
    for (const r of results) {
      await appendToPublicLog(tx, {
        partner: scope.organization.name,
        product: `${request.productName} (${request.sku})`,
        jobId: r.jobId,
        resultId: r.id,
        accepted: false,
        failedChecks: [withdrawalCheck(reason)],
        payloadSha256: payloadSha256(r.payload),
      })
    }
    await recordAuditEvent(tx, {
      actor: auditActorOf(scope),
      organizationId: scope.organization.id,
      action: 'cert_request.withdraw',
      targetType: 'cert_request',
      targetId: request.id,
      changes: { reason, jobsStopped: stopped.count, badgesRevoked: revoked.count, resultsLogged: results.length },
    })
    return { jobsStopped: stopped.count, badgesRevoked: revoked.count, resultsLogged: results.length }
  })
}
