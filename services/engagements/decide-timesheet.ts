import { z } from 'zod'
import { auditActorOf, recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { canAsStaff } from '../identity/actor.ts'
import { now } from '../platform/clock.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { alertBudget } from './budget-alerts.ts'
import { isoDay } from './log-week.ts'
import { amountFor, selectRate } from './select-rate.ts'
import { nextTimesheetState } from './timesheet-rules.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

export const timesheetActionSchema = z.object({
  timesheetId: z.string().trim().min(1).max(64),
  action: z.enum(['submit', 'approve', 'reject', 'lock']),
  reason: z.string().trim().max(500).optional(),
})

/**
 * Moves a week through its states (timesheet-rules.ts). Approval prices every entry with the rate in
 * force on its day for the person's role (engagement, then customer, then standard rate card); a
 * week with a day no rate covers is refused, naming the day.
 */
export async function decideTimesheet(scope: TenantScope, input: z.input<typeof timesheetActionSchema>) {
  const f = parseInput(timesheetActionSchema, input)
  assertCan(scope, f.action === 'submit' ? 'time.log' : 'time.approve')
  const sheet = await scope.db.timesheet.findFirst({
    where: { id: f.timesheetId },
    include: { entries: true, engagement: { include: { members: true } } },
  })
  if (!sheet) throw new AppError('not_found', 'No such timesheet.')
  const who = {
    isOwner: sheet.userId === scope.actor.userId,
    isLead: sheet.engagement.leadId === scope.actor.userId,
    managesServices: canAsStaff(scope.actor, 'services.manage'),
  }
  const next = nextTimesheetState(sheet.status, f.action, who, {
    entries: sheet.entries.length,
    reason: f.reason,
  })
  if (!next.ok) throw new AppError('conflict', next.message)
  const priced: { id: string; rateMinor: bigint; amountMinor: bigint }[] = []
  if (f.action === 'approve') {
    const member = sheet.engagement.members.find((m) => m.userId === sheet.userId)
    if (!member) throw new AppError('conflict', 'The person is no longer on the team; add them back to approve.')
    const rates = (
      await unscopedDb('catalogue').rateCard.findMany({
        where: { rateRole: member.rateRole, currency: sheet.engagement.currency },
      })
    ).map((r) => ({ ...r, effectiveFrom: isoDay(r.effectiveFrom) }))
    for (const x of sheet.entries) {
      const day = isoDay(x.day)
      const rate = selectRate(rates, {
        rateRole: member.rateRole,
        currency: sheet.engagement.currency,
        customerId: sheet.organizationId,
        engagementId: sheet.engagementId,
        day,
      })
      if (!rate)
        throw new AppError(
          'conflict',
          `No ${member.rateRole} rate in ${sheet.engagement.currency} is in force on ${day}: add one to the rate card.`,
        )
      priced.push({ id: x.id, rateMinor: rate.rateMinor, amountMinor: amountFor(x.minutes, rate.rateMinor) })
    }
  }
  await scope.db.$transaction(async (tx) => {
    // Priced while still submitted: the database lets approval set the price once, nothing else.
    for (const p of priced)
      await tx.timeEntry.update({ where: { id: p.id }, data: { rateMinor: p.rateMinor, amountMinor: p.amountMinor } })
    const at = now()
    const done = await tx.timesheet.updateMany({
      where: { id: sheet.id, status: sheet.status },
      data: {
        status: next.to,
        ...(f.action === 'submit' && { submittedAt: at, rejectionReason: null }),
        ...((f.action === 'approve' || f.action === 'reject') && { decidedById: scope.actor.userId, decidedAt: at }),
        ...(f.action === 'reject' && { rejectionReason: f.reason }),
        ...(f.action === 'lock' && { lockedAt: at }),
      },
    })
    if (done.count === 0) throw new AppError('conflict', 'Someone changed this week a moment ago.')
    if (f.action === 'approve') await alertBudget(tx, sheet.engagementId)
    await recordAuditEvent(tx, {
      actor: auditActorOf(scope),
      organizationId: scope.organization.id,
      action: `timesheet.${f.action}`,
      targetType: 'timesheet',
      targetId: sheet.id,
      changes: { from: sheet.status, to: next.to, reason: f.reason },
    })
  })
  return { status: next.to }
}
