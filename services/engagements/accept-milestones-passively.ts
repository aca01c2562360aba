import { recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import type { JobHandler } from '../platform/jobs/define-job.ts'
import { now, todayUtc } from '../platform/clock.ts'
import { systemScope } from '../tenancy/tenant-guard.ts'
import { mailEach, membersWho } from './notify.ts'

/**
 * Delivered milestones (of every organization, or of one) whose acceptance window has passed (the
 * day after `acceptBy`) are accepted
 * as delivered, as the statement of work agrees. Each is moved by a conditional update, so a customer
 * accepting at the same moment, or a second run, leaves exactly one acceptance.
 */
export async function acceptMilestonesPassively(only: { organizationId?: string } = {}): Promise<string[]> {
  const today = todayUtc()
  const due = await unscopedDb('platform job').engagementMilestone.findMany({
    where: {
      status: 'delivered',
      acceptBy: { lt: new Date(`${today}T00:00:00Z`) },
      ...(only.organizationId && { organizationId: only.organizationId }),
    },
    select: { id: true, organizationId: true },
  })
  const accepted: string[] = []
  for (const d of due) {
    const scope = await systemScope(d.organizationId)
    await scope.db.$transaction(async (tx) => {
      const m = await tx.engagementMilestone.findUniqueOrThrow({
        where: { id: d.id },
        include: { engagement: { include: { lead: { select: { email: true } } } } },
      })
      const done = await tx.engagementMilestone.updateMany({
        where: { id: m.id, status: 'delivered' },
        data: { status: 'accepted', acceptedAt: now(), acceptedById: null },
      })
      if (done.count === 0) return
      accepted.push(m.id)
      const acceptBy = m.acceptBy!.toISOString().slice(0, 10)
      await recordAuditEvent(tx, {
        actor: null,
        organizationId: m.organizationId,
        action: 'milestone.accept_passively',
        targetType: 'engagement',
        targetId: m.engagementId,
        changes: { milestoneId: m.id, acceptBy },
      })
      await mailEach(
        tx,
        [m.engagement.lead.email, ...(await membersWho(tx, m.organizationId, 'milestones.accept'))],
        `${m.engagement.title}: “${m.title}” accepted as delivered`,
        [
          `Nobody accepted or returned the milestone by ${acceptBy}, so it is accepted as delivered ` +
            'and will be invoiced.',
        ],
        { label: 'Open the engagements', path: `/portal/${scope.organization.slug}/engagements` },
      )
    })
  }
  return accepted
}

export const handleAcceptMilestones: JobHandler<'services.accept-milestones'> = async () => {
  await acceptMilestonesPassively()
}
