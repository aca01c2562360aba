import { z } from 'zod'
import { auditActorOf, recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { newId } from '../platform/db/ids.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { moneyIn, parseAmount } from './engagement-money.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

export const milestoneSchema = z.object({
  engagementId: z.string().trim().min(1).max(64),
  title: z.string().trim().min(3, 'Name the milestone.').max(200),
  amount: z.string().trim().min(1, 'Enter what the milestone bills.').max(20),
  dueOn: z
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter a date like 2027-03-01.')
    .or(z.literal(''))
    .optional(),
})

/**
 * The services lead plans a fixed-price milestone. Milestones together never bill more than the
 * engagement's money budget: a fixed price is the sum its customer signed for.
 */
export async function addMilestone(scope: TenantScope, input: z.input<typeof milestoneSchema>) {
  assertCan(scope, 'services.manage')
  const f = parseInput(milestoneSchema, input)
  const e = await scope.db.engagement.findFirst({ where: { id: f.engagementId }, include: { milestones: true } })
  if (!e) throw new AppError('not_found', 'No such engagement.')
  if (e.type !== 'fixed_price') throw new AppError('conflict', 'Only fixed-price engagements bill by milestone.')
  if (e.status === 'completed' || e.status === 'cancelled')
    throw new AppError('conflict', `A ${e.status} engagement takes no new milestones.`)
  const amountMinor = parseAmount(f.amount, e.currency, 'amount')
  const planned = e.milestones.reduce((s, m) => s + m.amountMinor, 0n)
  if (planned + amountMinor > e.budgetMinor)
    throw new AppError('invalid_input', 'Check the amount.', {
      amount: [
        `The milestones would bill ${moneyIn(planned + amountMinor, e.currency)}, more than the fixed price of ` +
          `${moneyIn(e.budgetMinor, e.currency)}; at most ${moneyIn(e.budgetMinor - planned, e.currency)} is left.`,
      ],
    })
  const id = newId()
  await scope.db.$transaction(async (tx) => {
    await tx.engagementMilestone.create({
      data: {
        id,
        organizationId: e.organizationId,
        engagementId: e.id,
        seq: e.milestones.length + 1,
        title: f.title,
        amountMinor,
        dueOn: f.dueOn ? new Date(`${f.dueOn}T00:00:00Z`) : null,
      },
    })
    await recordAuditEvent(tx, {
      actor: auditActorOf(scope),
      organizationId: e.organizationId,
      action: 'milestone.add',
      targetType: 'engagement',
      targetId: e.id,
      changes: { milestoneId: id, title: f.title, amountMinor: amountMinor.toString() },
    })
  })
  return { id }
}
