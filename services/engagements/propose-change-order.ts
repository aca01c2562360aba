import { z } from 'zod'
import { auditActorOf, recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { newId } from '../platform/db/ids.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { isoDay } from './log-week.ts'
import { moneyIn, parseAmount } from './engagement-money.ts'
import { mailEach, membersWho } from './notify.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

export const changeOrderSchema = z.object({
  engagementId: z.string().trim().min(1).max(64),
  budgetHours: z.coerce.number('Enter the new budget in hours.').int('Whole hours.').min(0).max(100_000),
  budget: z.string().trim().min(1, 'Enter the new budget in money.').max(20),
  endsOn: z
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter a date like 2027-03-01.')
    .or(z.literal(''))
    .optional(),
  scope: z.string().trim().min(10, 'Describe what changes in the scope, in a sentence or more.').max(5000),
})

/**
 * The services lead proposes a new version of an engagement's budget and scope; the customer approves
 * or declines it in the portal. One proposal is open at a time (a unique index), and a budget never
 * drops below what is already approved or billed by milestones.
 */
export async function proposeChangeOrder(scope: TenantScope, input: z.input<typeof changeOrderSchema>) {
  assertCan(scope, 'services.manage')
  const f = parseInput(changeOrderSchema, input)
  const e = await scope.db.engagement.findFirst({
    where: { id: f.engagementId },
    include: { changeOrders: { orderBy: { version: 'desc' }, take: 1 }, milestones: true },
  })
  if (!e) throw new AppError('not_found', 'No such engagement.')
  if (e.status === 'completed' || e.status === 'cancelled')
    throw new AppError('conflict', `A ${e.status} engagement takes no change orders.`)
  if (e.changeOrders[0]?.status === 'proposed')
    throw new AppError('conflict', `Version ${e.changeOrders[0].version} is still waiting for the customer.`)
  const budgetMinor = parseAmount(f.budget, e.currency, 'budget', 'the budget')
  const planned = e.milestones.reduce((s, m) => s + m.amountMinor, 0n)
  if (e.type === 'fixed_price' && budgetMinor < planned)
    throw new AppError('invalid_input', 'Check the budget.', {
      budget: [`The milestones already plan ${moneyIn(planned, e.currency)}; the fixed price cannot be less.`],
    })
  if (f.endsOn && f.endsOn < isoDay(e.startsOn))
    throw new AppError('invalid_input', 'Check the end date.', { endsOn: ['The end is on or after the start.'] })
  const version = (e.changeOrders[0]?.version ?? 0) + 1
  const id = newId()
  await scope.db.$transaction(async (tx) => {
    await tx.engagementChangeOrder.create({
      data: {
        id,
        organizationId: e.organizationId,
        engagementId: e.id,
        version,
        budgetMinutes: f.budgetHours * 60,
        budgetMinor,
        endsOn: f.endsOn ? new Date(`${f.endsOn}T00:00:00Z`) : e.endsOn,
        scope: f.scope,
        proposedById: scope.actor.userId,
      },
    })
    await recordAuditEvent(tx, {
      actor: auditActorOf(scope),
      organizationId: e.organizationId,
      action: 'change_order.propose',
      targetType: 'engagement',
      targetId: e.id,
      changes: { version, budgetMinor: budgetMinor.toString(), budgetHours: f.budgetHours },
    })
    await mailEach(
      tx,
      await membersWho(tx, e.organizationId, 'change_orders.decide'),
      `${e.title}: change order ${version} for your approval`,
      [
        `ggml proposes ${f.budgetHours} hours and ${moneyIn(budgetMinor, e.currency)} ` +
          `(now ${e.budgetMinutes / 60} hours and ${moneyIn(e.budgetMinor, e.currency)}).`,
        f.scope,
      ],
      { label: 'Review the change order', path: `/portal/${scope.organization.slug}/engagements` },
    )
  })
  return { id, version }
}
