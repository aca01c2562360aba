import { z } from 'zod'
import { auditActorOf, recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { canAsStaff } from '../identity/actor.ts'
import { now } from '../platform/clock.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { alertBudget } from './budget-alerts.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

export const expenseDecisionSchema = z.object({
  expenseId: z.string().trim().min(1).max(64),
  decision: z.enum(['approve', 'reject'], 'Approve or reject the expense.'),
  reason: z.string().trim().max(500).optional(),
})

/** The engagement's lead (never the person who spent it) approves an expense, or rejects it with why. */
export async function decideExpense(scope: TenantScope, input: z.input<typeof expenseDecisionSchema>) {
  assertCan(scope, 'expenses.approve')
  const f = parseInput(expenseDecisionSchema, input)
  const x = await scope.db.engagementExpense.findFirst({ where: { id: f.expenseId }, include: { engagement: true } })
  if (!x) throw new AppError('not_found', 'No such expense.')
  if (x.userId === scope.actor.userId) throw new AppError('conflict', 'Someone else approves your own expenses.')
  if (x.engagement.leadId !== scope.actor.userId && !canAsStaff(scope.actor, 'services.manage'))
    throw new AppError('forbidden', 'Only the engagement’s lead or a services lead decides expenses.')
  if (x.status !== 'submitted') throw new AppError('conflict', `This expense is already ${x.status}.`)
  if (f.decision === 'reject' && !f.reason)
    throw new AppError('invalid_input', 'Say why.', { reason: ['Say why the expense is rejected.'] })
  await scope.db.$transaction(async (tx) => {
    const done = await tx.engagementExpense.updateMany({
      where: { id: x.id, status: 'submitted' },
      data: {
        status: f.decision === 'approve' ? 'approved' : 'rejected',
        decidedById: scope.actor.userId,
        decidedAt: now(),
        rejectionReason: f.decision === 'reject' ? f.reason : null,
      },
    })
    if (done.count === 0) throw new AppError('conflict', 'Someone decided this expense a moment ago.')
    if (f.decision === 'approve') await alertBudget(tx, x.engagementId)
    await recordAuditEvent(tx, {
      actor: auditActorOf(scope),
      organizationId: x.organizationId,
      action: `expense.${f.decision}`,
      targetType: 'engagement',
      targetId: x.engagementId,
      changes: { expenseId: x.id, reason: f.reason },
    })
  })
}
