import { z } from 'zod'
import { assertOwnRunner, newNonce } from './job-specification.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { newId } from '../platform/db/ids.ts'
import { recordAuditEvent, auditActorOf } from '../platform/audit/record-audit-event.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

export const queueJobSchema = z.object({
  runnerId: z
    .string()
    .trim()
    .optional()
    .transform((v) => v || undefined),
})
/**
 * Another run of a product already requested (the same model and tests, a fresh nonce), on a
 * chosen runner or any: how a partner measures a second unit and how a certification engineer
 * gets the reproduction a reviewed badge needs. The scope is the product's organization, whoever
 * asks (a partner's own, or an engineer's for that partner).
 */
export async function queueCertJob(scope: TenantScope, requestId: string, input: z.input<typeof queueJobSchema>) {
  assertCan(scope, 'certification.queue_run')
  const { runnerId } = parseInput(queueJobSchema, input)
  return scope.db.$transaction(async (tx) => {
    const request = await tx.certRequest.findFirst({ where: { id: requestId } })
    if (!request) throw new AppError('not_found', 'No such certification request.')
    if (request.withdrawnAt)
      throw new AppError('conflict', 'This request was withdrawn: request the product again to certify it.')
    await assertOwnRunner(tx, runnerId)
    const first = await tx.certJob.findFirstOrThrow({ where: { requestId }, orderBy: { createdAt: 'asc' } })
    const jobId = newId()
    await tx.certJob.create({
      data: {
        id: jobId,
        organizationId: request.organizationId,
        requestId,
        // The first job's model may still be in the making: this one waits for it too.
        status: first.expectedModelSha256 ? 'queued' : 'preparing',
        nonce: newNonce(),
        modelShape: first.modelShape,
        modelType: first.modelType,
        modelSeed: first.modelSeed,
        expectedModelSha256: first.expectedModelSha256,
        declaredModel: first.declaredModel ?? undefined,
        nPrompt: first.nPrompt,
        nGen: first.nGen,
        repetitions: first.repetitions,
        assignedRunnerId: runnerId ?? null,
        queuedById: scope.actor.userId,
      },
    })
    await recordAuditEvent(tx, {
      actor: auditActorOf(scope),
      organizationId: request.organizationId,
      action: 'cert_job.queue',
      targetType: 'cert_job',
      targetId: jobId,
      changes: { requestId, runnerId: runnerId ?? null },
    })
    return { jobId }
  })
}
