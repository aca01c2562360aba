import { z } from 'zod'
import { auditActorOf, recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { addDays } from '../kernel/calendar/months.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { canAsStaff } from '../identity/actor.ts'
import { now, todayUtc } from '../platform/clock.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { moneyIn } from './engagement-money.ts'
import { mailEach, membersWho } from './notify.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

export const milestoneRefSchema = z.object({ milestoneId: z.string().trim().min(1).max(64) })

/**
 * The engagement's lead (or a services lead) marks a milestone delivered. The customer then has the
 * engagement's acceptance days to accept or return it; after that it is accepted passively.
 */
export async function deliverMilestone(scope: TenantScope, input: z.input<typeof milestoneRefSchema>) {
  assertCan(scope, 'time.approve')
  const f = parseInput(milestoneRefSchema, input)
  const m = await scope.db.engagementMilestone.findFirst({
    where: { id: f.milestoneId },
    include: { engagement: true },
  })
  if (!m) throw new AppError('not_found', 'No such milestone.')
  if (m.engagement.leadId !== scope.actor.userId && !canAsStaff(scope.actor, 'services.manage'))
    throw new AppError('forbidden', 'Only the engagement’s lead or a services lead delivers a milestone.')
  if (m.engagement.status !== 'active')
    throw new AppError(
      'conflict',
      `Milestones are delivered on an active engagement; this one is ${m.engagement.status}.`,
    )
  if (m.status !== 'planned') throw new AppError('conflict', `This milestone is already ${m.status}.`)
  const acceptBy = addDays(todayUtc(), m.engagement.acceptanceDays)
  await scope.db.$transaction(async (tx) => {
    const done = await tx.engagementMilestone.updateMany({
      where: { id: m.id, status: 'planned' },
      data: {
        status: 'delivered',
        deliveredAt: now(),
        deliveredById: scope.actor.userId,
        acceptBy: new Date(`${acceptBy}T00:00:00Z`),
        rejectionReason: null,
      },
    })
    if (done.count === 0) throw new AppError('conflict', 'Someone changed this milestone a moment ago.')
    await recordAuditEvent(tx, {
      actor: auditActorOf(scope),
      organizationId: m.organizationId,
      action: 'milestone.deliver',
      targetType: 'engagement',
      targetId: m.engagementId,
      changes: { milestoneId: m.id, acceptBy },
    })
    await mailEach(
      tx,
      await membersWho(tx, m.organizationId, 'milestones.accept'),
      `${m.engagement.title}: “${m.title}” is delivered`,
      [
        `ggml has delivered the milestone “${m.title}” (${moneyIn(m.amountMinor, m.engagement.currency)}).`,
        `Accept it or return it with what is missing by ${acceptBy}; after that day it is accepted as delivered.`,
      ],
      { label: 'Review the milestone', path: `/portal/${scope.organization.slug}/engagements` },
    )
  })
  return { acceptBy }
}
