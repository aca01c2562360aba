import { z } from 'zod'
import { auditActorOf, recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { now } from '../platform/clock.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { mailEach } from './notify.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

export const milestoneDecisionSchema = z.object({
  milestoneId: z.string().trim().min(1).max(64),
  decision: z.enum(['accept', 'return'], 'Accept the milestone or return it.'),
  reason: z.string().trim().max(1000).optional(),
})

/**
 * The customer accepts a delivered milestone (the one billing event the invoice run bills) or returns
 * it with what is missing; a returned milestone is planned again until it is delivered anew.
 */
export async function decideMilestone(scope: TenantScope, input: z.input<typeof milestoneDecisionSchema>) {
  assertCan(scope, 'milestones.accept')
  const f = parseInput(milestoneDecisionSchema, input)
  if (f.decision === 'return' && !f.reason)
    throw new AppError('invalid_input', 'Say what is missing.', {
      reason: ['Say what is missing, for the team to fix.'],
    })
  const m = await scope.db.engagementMilestone.findFirst({
    where: { id: f.milestoneId },
    include: { engagement: { include: { lead: { select: { email: true } } } } },
  })
  if (!m) throw new AppError('not_found', 'No such milestone.')
  if (m.status !== 'delivered')
    throw new AppError(
      'conflict',
      m.status === 'accepted' ? 'This milestone is already accepted.' : 'This milestone has not been delivered yet.',
    )
  await scope.db.$transaction(async (tx) => {
    const done = await tx.engagementMilestone.updateMany({
      where: { id: m.id, status: 'delivered' },
      data:
        f.decision === 'accept'
          ? { status: 'accepted', acceptedAt: now(), acceptedById: scope.actor.userId }
          : { status: 'planned', deliveredAt: null, deliveredById: null, acceptBy: null, rejectionReason: f.reason },
    })
    if (done.count === 0) throw new AppError('conflict', 'Someone decided this milestone a moment ago.')
    await recordAuditEvent(tx, {
      actor: auditActorOf(scope),
      organizationId: m.organizationId,
      action: `milestone.${f.decision}`,
      targetType: 'engagement',
      targetId: m.engagementId,
      changes: { milestoneId: m.id, reason: f.reason },
    })
    await mailEach(
      tx,
      [m.engagement.lead.email],
      `${m.engagement.title}: “${m.title}” ${f.decision === 'accept' ? 'accepted' : 'returned'} by ` +
        scope.organization.name,
      f.decision === 'accept'
        ? ['The customer accepted the milestone; the next invoice run bills it.']
        : [`The customer returned the milestone: ${f.reason}`, 'Deliver it again when it is fixed.'],
      { label: 'Open the engagement', path: `/services/engagements/${m.engagementId}` },
    )
  })
  return { status: f.decision === 'accept' ? 'accepted' : 'planned' }
}
