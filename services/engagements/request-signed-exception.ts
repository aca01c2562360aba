import { z } from 'zod'
import { auditActorOf, recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

export const signedExceptionSchema = z.object({
  engagementId: z.string().trim().min(1).max(64),
  reason: z
    .string()
    .trim()
    .min(10, 'Say where and when both parties signed, and where the signed copy is kept.')
    .max(500),
})

/**
 * A services lead records that a draft engagement's statement of work was signed outside the platform
 * (issue 30). Nothing changes until a second person approves it (decide-signed-exception.ts).
 */
export async function requestSignedException(scope: TenantScope, input: z.input<typeof signedExceptionSchema>) {
  assertCan(scope, 'services.manage')
  const f = parseInput(signedExceptionSchema, input)
  await scope.db.$transaction(async (tx) => {
    const asked = await tx.engagement.updateMany({
      where: { id: f.engagementId, status: 'draft', sowEnvelopeId: null, signedExceptionRequestedById: null },
      data: { signedExceptionReason: f.reason, signedExceptionRequestedById: scope.actor.userId },
    })
    if (!asked.count)
      throw new AppError(
        'conflict',
        'Only a draft engagement whose statement of work is not out for signature, and not already waiting ' +
          'for an approval, can be recorded as signed outside the platform.',
      )
    await recordAuditEvent(tx, {
      actor: auditActorOf(scope),
      organizationId: scope.organization.id,
      action: 'engagement.signed_exception_requested',
      targetType: 'engagement',
      targetId: f.engagementId,
      changes: { reason: f.reason },
    })
  })
}
