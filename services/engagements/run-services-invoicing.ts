import { z } from 'zod'
import { auditActorOf, recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { addDays, addMonths, isBookMonth } from '../kernel/calendar/months.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { newId } from '../platform/db/ids.ts'
import { AppError } from '../platform/errors/app-error.ts'
import type { Actor } from '../identity/actor.ts'
import type { JobHandler } from '../platform/jobs/define-job.ts'
import { postReceivable } from '../ledger/post-receivable.ts'
import { moneyIn } from './engagement-money.ts'
import { now } from '../platform/clock.ts'
import { assertCanAsStaff, systemScope } from '../tenancy/tenant-guard.ts'
import { recordWebhookEvent } from '../webhooks/record-webhook-event.ts'

export const invoiceRunSchema = z.object({
  month: z.string().trim().refine(isBookMonth, 'Enter a month like 2027-03.'),
})

const monthEnd = (month: string) => addDays(addMonths(`${month}-01`, 1), -1)

/**
 * The monthly invoice run: for every engagement, the approved time and expenses up to the month's end
 * and the milestones accepted by then that no invoice has billed become one posting (receivable by
 * role and rate, milestone and expense; services revenue) and one Stripe invoice (billing.issue-invoice).
 * Each kind is claimed by one statement under its row locks, posted (ledger/post-receivable.ts) and marked
 * with the posting, and the database lets a row be marked once, so two runs that start together bill each
 * thing once.
 */
export async function runServicesInvoicing(input: z.input<typeof invoiceRunSchema>, actor?: Actor) {
  if (actor) assertCanAsStaff(actor, 'services.manage')
  const parsed = invoiceRunSchema.safeParse(input)
  if (!parsed.success)
    throw new AppError('invalid_input', 'Check the month.', { month: [parsed.error.issues[0]!.message] })
  const { month } = parsed.data
  const end = monthEnd(month)
  if (end >= now().toISOString().slice(0, 10))
    throw new AppError('invalid_input', 'Check the month.', { month: [`${month} has not ended yet.`] })
  const endDate = new Date(`${end}T00:00:00Z`)
  const afterEnd = new Date(`${addDays(end, 1)}T00:00:00Z`)
  const engagements = await unscopedDb('platform job').engagement.findMany({
    where: {
      OR: [
        {
          // A fixed price bills its milestones; its time counts toward burn and margin, never an invoice.
          type: { not: 'fixed_price' },
          timeEntries: {
            some: {
              invoiceEntryId: null,
              day: { lte: endDate },
              timesheet: { status: { in: ['approved', 'locked'] } },
            },
          },
        },
        { expenses: { some: { invoiceEntryId: null, status: 'approved', day: { lte: endDate } } } },
        { milestones: { some: { invoiceEntryId: null, status: 'accepted', acceptedAt: { lt: afterEnd } } } },
      ],
    },
    select: { id: true, organizationId: true, title: true, type: true, currency: true, members: true },
  })
  const invoiced: { engagementId: string; journalEntryId: string; amount: string }[] = []
  // Engagements are independent (their own rows); a few at a time keep the database busy.
  let next = 0
  const work = async () => {
    while (next < engagements.length) await invoiceOne(engagements[next++]!)
  }
  const invoiceOne = async (e: (typeof engagements)[number]) => {
    const scope = await systemScope(e.organizationId)
    const result = await scope.db.$transaction(async (tx) => {
      // One statement per kind claims the unbilled rows under their row locks (a run that waited sees them
      // billed and claims nothing); the posting is made from what was claimed, then the rows are marked with
      // it, and the database lets a row be marked once.
      const entries =
        e.type === 'fixed_price'
          ? []
          : await tx.$queryRaw<
              { id: string; minutes: number; rateMinor: bigint; amountMinor: bigint; userId: string }[]
            >`
        SELECT t."id", t."minutes", t."rateMinor", t."amountMinor", s."userId"
          FROM "TimeEntry" t JOIN "Timesheet" s ON s."id" = t."timesheetId"
         WHERE t."engagementId" = ${e.id} AND t."invoiceEntryId" IS NULL
           AND t."day" <= ${end}::date AND s."status" IN ('approved', 'locked')
           FOR UPDATE OF t`
      // Approved expenses and accepted milestones of the month are claimed the same way.
      const expenses = await tx.$queryRaw<{ id: string; day: Date; description: string; amountMinor: bigint }[]>`
        SELECT "id", "day", "description", "amountMinor" FROM "EngagementExpense"
         WHERE "engagementId" = ${e.id} AND "invoiceEntryId" IS NULL AND "status" = 'approved'
           AND "day" <= ${end}::date
           FOR UPDATE`
      const milestones = await tx.$queryRaw<{ id: string; seq: number; title: string; amountMinor: bigint }[]>`
        SELECT "id", "seq", "title", "amountMinor" FROM "EngagementMilestone"
         WHERE "engagementId" = ${e.id} AND "invoiceEntryId" IS NULL AND "status" = 'accepted'
           AND "acceptedAt" < ${afterEnd}
           FOR UPDATE`
      if (entries.length + expenses.length + milestones.length === 0) return null
      const groups = new Map<string, { minutes: number; rateMinor: bigint; amountMinor: bigint; role: string }>()
      for (const x of entries) {
        const role = e.members.find((m) => m.userId === x.userId)?.rateRole ?? 'consultant'
        const key = `${role}:${x.rateMinor}`
        const g = groups.get(key) ?? { minutes: 0, rateMinor: x.rateMinor, amountMinor: 0n, role }
        g.minutes += x.minutes
        g.amountMinor += x.amountMinor
        groups.set(key, g)
      }
      const total = [...entries, ...expenses, ...milestones].reduce((sum, x) => sum + x.amountMinor, 0n)
      const money = (minor: bigint) => moneyIn(minor, e.currency)
      const receivable = (debitMinor: bigint, memo: string) =>
        ({ account: 'services_receivable', debitMinor, memo }) as const
      const { id: entryId } = await postReceivable(tx, {
        organizationId: e.organizationId,
        currency: e.currency,
        // Every run posts anew: the claim above, not the key, keeps a row from being billed twice.
        idempotencyKey: `services-invoice:${e.id}:${newId()}`,
        kind: 'services_invoice',
        description: `${e.title}: services through ${end}`,
        effectiveDate: end,
        periodTag: month,
        servicePeriod: { start: `${month}-01`, end },
        createdById: actor?.userId,
        lines: [
          ...[...groups.values()]
            .sort((a, b) => a.role.localeCompare(b.role) || Number(a.rateMinor - b.rateMinor))
            .map((g) =>
              receivable(
                g.amountMinor,
                `${e.title}: ${g.role.replaceAll('_', ' ')}, ${g.minutes / 60} h at ${money(g.rateMinor)}/h`,
              ),
            ),
          ...milestones
            .sort((a, b) => a.seq - b.seq)
            .map((m) => receivable(m.amountMinor, `${e.title}: milestone ${m.seq}, ${m.title}`)),
          ...expenses
            .sort((a, b) => a.day.getTime() - b.day.getTime())
            .map((x) =>
              receivable(x.amountMinor, `${e.title}: expense of ${x.day.toISOString().slice(0, 10)}, ${x.description}`),
            ),
          { account: 'services_revenue', creditMinor: total, memo: `${e.title}: services` },
        ],
      })
      const ids = (rows: { id: string }[]) => rows.map((r) => r.id)
      if (entries.length)
        await tx.$executeRaw`UPDATE "TimeEntry" SET "invoiceEntryId" = ${entryId} WHERE "id" = ANY(${ids(entries)})`
      if (expenses.length)
        await tx.$executeRaw`
          UPDATE "EngagementExpense" SET "invoiceEntryId" = ${entryId} WHERE "id" = ANY(${ids(expenses)})`
      if (milestones.length)
        await tx.$executeRaw`
          UPDATE "EngagementMilestone" SET "invoiceEntryId" = ${entryId} WHERE "id" = ANY(${ids(milestones)})`
      await tx.$executeRaw`
        UPDATE "Timesheet" s SET "status" = 'invoiced'
         WHERE s."engagementId" = ${e.id} AND s."status" IN ('approved', 'locked')
           AND NOT EXISTS (SELECT 1 FROM "TimeEntry" t WHERE t."timesheetId" = s."id" AND t."invoiceEntryId" IS NULL)`
      await recordWebhookEvent(tx, e.organizationId, 'engagement.invoiced', {
        engagementId: e.id,
        month,
        journalEntryId: entryId,
        currency: e.currency,
        amountMinor: total.toString(),
      })
      await recordAuditEvent(tx, {
        actor: actor ? auditActorOf({ actor }) : null,
        organizationId: e.organizationId,
        action: 'services.invoice',
        targetType: 'engagement',
        targetId: e.id,
        changes: {
          month,
          journalEntryId: entryId,
          entries: entries.length,
          expenses: expenses.length,
          milestones: milestones.length,
          amountMinor: total.toString(),
        },
      })
      return { engagementId: e.id, journalEntryId: entryId, amount: money(total) }
    })
    if (result) invoiced.push(result)
  }
  await Promise.all(Array.from({ length: Math.min(4, engagements.length) }, work))
  invoiced.sort((a, b) => a.engagementId.localeCompare(b.engagementId))
  return { month, invoiced }
}

/** On the first of each month, the month before. */
export const handleServicesInvoiceRun: JobHandler<'services.invoice-run'> = async () => {
  const d = now()
  const prev = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1)).toISOString().slice(0, 7)
  await runServicesInvoicing({ month: prev })
}
