import { z } from 'zod'
import { auditActorOf, recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import type { EngagementStatus } from '../platform/db/generated/enums.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

export const engagementStatusSchema = z.object({
  engagementId: z.string().trim().min(1).max(64),
  to: z.enum(['signed', 'active', 'completed', 'cancelled']),
  reason: z.string().trim().max(500).optional(),
})

const allowed: Record<EngagementStatus, EngagementStatus[]> = {
  draft: ['signed', 'cancelled'],
  signed: ['active', 'cancelled'],
  active: ['completed', 'cancelled'],
  completed: [],
  cancelled: [],
}

/**
 * draft → signed → active → completed, or cancelled on the way with a reason. The move to signed is
 * not this form's: the signed statement of work makes it (sync-sow-envelope.ts), or an approved
 * exception (decide-signed-exception.ts).
 */
export async function setEngagementStatus(scope: TenantScope, input: z.input<typeof engagementStatusSchema>) {
  assertCan(scope, 'services.manage')
  const f = parseInput(engagementStatusSchema, input)
  const e = await scope.db.engagement.findFirst({ where: { id: f.engagementId } })
  if (!e) throw new AppError('not_found', 'No such engagement.')
  if (!allowed[e.status].includes(f.to))
    throw new AppError('conflict', `A ${e.status} engagement cannot become ${f.to}.`)
  // Signed means both parties signed (issue 30): through DocuSign, or an exception a second person approved.
  if (f.to === 'signed')
    throw new AppError(
      'conflict',
      e.sowEnvelopeId
        ? 'The statement of work is out for signature; it becomes signed when both parties sign.'
        : 'An engagement becomes signed when both parties sign its statement of work. Send it for signature, ' +
            'or, if it was signed outside the platform, record that with the reason for a second person to approve.',
    )
  if (f.to === 'cancelled' && !f.reason)
    throw new AppError('invalid_input', 'Say why.', { reason: ['Say why the engagement is cancelled.'] })
  await scope.db.$transaction(async (tx) => {
    const done = await tx.engagement.updateMany({
      where: { id: e.id, status: e.status },
      data: { status: f.to, statusReason: f.reason || null },
    })
    if (done.count === 0) throw new AppError('conflict', 'Someone changed this engagement a moment ago.')
    await recordAuditEvent(tx, {
      actor: auditActorOf(scope),
      organizationId: scope.organization.id,
      action: 'engagement.status',
      targetType: 'engagement',
      targetId: e.id,
      changes: { from: e.status, to: f.to, reason: f.reason },
    })
  })
}
