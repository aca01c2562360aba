import { z } from 'zod'
import { auditActorOf, recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { newId } from '../platform/db/ids.ts'
import { addDays } from '../kernel/calendar/months.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

export const isoDay = (d: Date) => d.toISOString().slice(0, 10)
/** The Monday of the week holding `day` (ISO weeks). */
export const weekOf = (day: string): string => addDays(day, -((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7))
/** The seven days of the week starting `weekStart`, Monday first. */
export const daysOfWeek = (weekStart: string): string[] => Array.from({ length: 7 }, (_, i) => addDays(weekStart, i))

export const weekSchema = z.object({
  engagementId: z.string().trim().min(1).max(64),
  weekStart: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Choose a week.'),
  /** Hours per day of the week, Monday first, as typed ("7.5"), and the task. */
  hours: z.array(z.string().trim().max(6)).length(7),
  task: z.string().trim().min(2, 'Name the task, so the customer sees what the time was for.').max(200),
})

/**
 * Writes a person's draft week on one engagement: one entry per day with hours, replacing the draft's
 * entries. Only members of an active engagement log time, within its dates, in quarter hours.
 */
export async function logWeek(scope: TenantScope, input: z.input<typeof weekSchema>) {
  assertCan(scope, 'time.log')
  const f = parseInput(weekSchema, input)
  if (weekOf(f.weekStart) !== f.weekStart) throw new AppError('invalid_input', 'A week starts on a Monday.')
  const e = await scope.db.engagement.findFirst({
    where: { id: f.engagementId },
    include: { members: { where: { userId: scope.actor.userId } } },
  })
  if (!e || e.members.length === 0) throw new AppError('not_found', 'You are not on this engagement’s team.')
  if (e.status !== 'active')
    throw new AppError('conflict', `Time is logged on active engagements; this one is ${e.status}.`)
  const fields: Record<string, string[]> = {}
  const entries: { day: string; minutes: number }[] = []
  const days = daysOfWeek(f.weekStart)
  f.hours.forEach((h, i) => {
    if (!h) return
    const day = days[i]!
    const hours = Number(h)
    if (!/^\d{1,2}(\.\d{1,2})?$/.test(h) || !(hours > 0) || hours > 24 || (hours * 60) % 15 !== 0)
      (fields[`hours.${i}`] ??= []).push(`${day}: enter hours in quarter hours, like 7.5, up to 24.`)
    else if (day < isoDay(e.startsOn) || (e.endsOn && day > isoDay(e.endsOn)))
      (fields[`hours.${i}`] ??= []).push(`${day} is outside the engagement’s dates.`)
    else entries.push({ day, minutes: Math.round(hours * 60) })
  })
  if (Object.keys(fields).length) throw new AppError('invalid_input', 'Check the hours.', fields)
  return scope.db.$transaction(async (tx) => {
    const weekStart = new Date(`${f.weekStart}T00:00:00Z`)
    const sheet =
      (await tx.timesheet.findFirst({ where: { engagementId: e.id, userId: scope.actor.userId, weekStart } })) ??
      (await tx.timesheet.create({
        data: {
          id: newId(),
          organizationId: scope.organization.id,
          engagementId: e.id,
          userId: scope.actor.userId,
          weekStart,
        },
      }))
    if (sheet.status !== 'draft')
      throw new AppError('conflict', `This week is ${sheet.status}; only a draft week can change.`)
    await tx.timeEntry.deleteMany({ where: { timesheetId: sheet.id } })
    await tx.timeEntry.createMany({
      data: entries.map((x) => ({
        id: newId(),
        organizationId: scope.organization.id,
        timesheetId: sheet.id,
        engagementId: e.id,
        day: new Date(`${x.day}T00:00:00Z`),
        minutes: x.minutes,
        task: f.task,
      })),
    })
    await recordAuditEvent(tx, {
      actor: auditActorOf(scope),
      organizationId: scope.organization.id,
      action: 'timesheet.save',
      targetType: 'timesheet',
      targetId: sheet.id,
      changes: { weekStart: f.weekStart, minutes: entries.reduce((s, x) => s + x.minutes, 0) },
    })
    return { timesheetId: sheet.id }
  })
}
