import { z } from 'zod'
import { auditActorOf, recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { now } from '../platform/clock.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { alertBudget } from './budget-alerts.ts'
import { mailEach } from './notify.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

export const changeOrderDecisionSchema = z.object({
  changeOrderId: z.string().trim().min(1).max(64),
  decision: z.enum(['approve', 'decline'], 'Approve or decline the change order.'),
  reason: z.string().trim().max(1000).optional(),
})

/**
 * The customer approves a proposed change order (the engagement takes its budget, end date and
 * scope, and the version records who approved it) or declines it with a reason.
 */
export async function decideChangeOrder(scope: TenantScope, input: z.input<typeof changeOrderDecisionSchema>) {
  assertCan(scope, 'change_orders.decide')
  const f = parseInput(changeOrderDecisionSchema, input)
  if (f.decision === 'decline' && !f.reason)
    throw new AppError('invalid_input', 'Say why.', { reason: ['Say why you decline, for the team to revise it.'] })
  const co = await scope.db.engagementChangeOrder.findFirst({
    where: { id: f.changeOrderId },
    include: { engagement: { include: { lead: { select: { email: true } } } } },
  })
  if (!co) throw new AppError('not_found', 'No such change order.')
  if (co.status !== 'proposed') throw new AppError('conflict', `Version ${co.version} is already ${co.status}.`)
  await scope.db.$transaction(async (tx) => {
    const done = await tx.engagementChangeOrder.updateMany({
      where: { id: co.id, status: 'proposed' },
      data: {
        status: f.decision === 'approve' ? 'approved' : 'declined',
        decidedById: scope.actor.userId,
        decidedAt: now(),
        declineReason: f.decision === 'decline' ? f.reason : null,
      },
    })
    if (done.count === 0) throw new AppError('conflict', 'Someone decided this change order a moment ago.')
    if (f.decision === 'approve') {
      await tx.engagement.update({
        where: { id: co.engagementId },
        data: { budgetMinutes: co.budgetMinutes, budgetMinor: co.budgetMinor, endsOn: co.endsOn },
      })
      // A smaller budget can put the burn past a threshold no approval has crossed yet.
      await alertBudget(tx, co.engagementId)
    }
    await recordAuditEvent(tx, {
      actor: auditActorOf(scope),
      organizationId: co.organizationId,
      action: `change_order.${f.decision}`,
      targetType: 'engagement',
      targetId: co.engagementId,
      changes: { version: co.version, reason: f.reason },
    })
    await mailEach(
      tx,
      [co.engagement.lead.email],
      `${co.engagement.title}: change order ${co.version} ${f.decision === 'approve' ? 'approved' : 'declined'}`,
      f.decision === 'approve'
        ? [`${scope.organization.name} approved version ${co.version}; the engagement's budget is updated.`]
        : [`${scope.organization.name} declined version ${co.version}: ${f.reason}`],
      { label: 'Open the engagement', path: `/services/engagements/${co.engagementId}` },
    )
  })
}
