import { z } from 'zod'
import { auditActorOf, recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { canAsStaff, type Actor } from '../identity/actor.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

export const decideSignedExceptionSchema = z.object({
  engagementId: z.string().trim().min(1).max(64),
  decision: z.enum(['approve', 'decline']),
})

/** Who may approve an engagement signed outside the platform: another services lead or a ggml admin. */
export const mayApproveSignedException = (actor: Actor) =>
  canAsStaff(actor, 'services.manage') || canAsStaff(actor, 'admin.view')

/**
 * The second pair of eyes on an engagement signed outside the platform (issue 30): approved, the draft
 * becomes signed with the recorded reason; declined, the request is cleared and it stays a draft. The
 * requester cannot decide their own request; the database refuses it too.
 */
export async function decideSignedException(scope: TenantScope, input: z.input<typeof decideSignedExceptionSchema>) {
  assertCan(scope, 'engagements.view')
  if (!mayApproveSignedException(scope.actor))
    throw new AppError('forbidden', 'Another services lead or a ggml admin approves this.')
  const f = parseInput(decideSignedExceptionSchema, input)
  const e = await scope.db.engagement.findFirst({ where: { id: f.engagementId } })
  if (!e) throw new AppError('not_found', 'No such engagement.')
  if (!e.signedExceptionRequestedById || e.status !== 'draft')
    throw new AppError('conflict', 'Nothing is waiting for approval on this engagement.')
  if (e.signedExceptionRequestedById === scope.actor.userId)
    throw new AppError('forbidden', 'You asked for this exception: someone else approves it.')
  await scope.db.$transaction(async (tx) => {
    const done = await tx.engagement.updateMany({
      where: { id: e.id, status: 'draft', signedExceptionRequestedById: e.signedExceptionRequestedById },
      data:
        f.decision === 'approve'
          ? {
              status: 'signed',
              statusReason: `Signed outside the platform: ${e.signedExceptionReason}`,
              signedExceptionApprovedById: scope.actor.userId,
            }
          : { signedExceptionReason: null, signedExceptionRequestedById: null },
    })
    if (!done.count) throw new AppError('conflict', 'Someone decided this a moment ago.')
    await recordAuditEvent(tx, {
      actor: auditActorOf(scope),
      organizationId: scope.organization.id,
      action:
        f.decision === 'approve' ? 'engagement.signed_exception_approved' : 'engagement.signed_exception_declined',
      targetType: 'engagement',
      targetId: e.id,
      changes: { reason: e.signedExceptionReason, requestedById: e.signedExceptionRequestedById },
    })
  })
}
