import { z } from 'zod'
import { auditActorOf, recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { addDays, addMonths, isBookMonth } from '../kernel/calendar/months.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { newId } from '../platform/db/ids.ts'
import { AppError } from '../platform/errors/app-error.ts'
import type { Actor } from '../identity/actor.ts'
import type { JobHandler } from '../platform/jobs/define-job.ts'
import { enqueueJob } from '../platform/jobs/enqueue-job.ts'
import { accountIds } from '../ledger/post-journal-entry.ts'
import { moneyIn } from './engagement-money.ts'
import { now } from '../platform/clock.ts'
import { assertCanAsStaff, systemScope } from '../tenancy/tenant-guard.ts'
import { recordWebhookEvent } from '../webhooks/record-webhook-event.ts'

export const invoiceRunSchema = z.object({
  month: z.string().trim().refine(isBookMonth, 'Enter a month like 2027-03.'),
})

/** Thrown to roll a run's transaction back when another run billed everything first. */
const nothingLeft = new Error('nothing left to bill')

const monthEnd = (month: string) => addDays(addMonths(`${month}-01`, 1), -1)

/**
 * The monthly invoice run: for every engagement, the approved time and expenses up to the month's end
 * and the milestones accepted by then that no invoice has billed become one posting (receivable by
 * role and rate, milestone and expense; services revenue) and one Stripe invoice (billing.issue-invoice).
 * Each kind is claimed and marked with the posting by one statement under its row locks, and the
 * database lets a row be marked once, so two runs that start together bill each thing once.
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
    const result = await scope.db
      .$transaction(async (tx) => {
        // The posting's header first, then one statement claims and marks the unbilled entries with it
        // (row locks: a run that waited sees them billed and marks nothing), then its lines from what
        // was marked. The balance is checked at commit, like every posting's.
        const entryId = newId()
        await tx.journalEntry.create({
          data: {
            id: entryId,
            organizationId: e.organizationId,
            currency: e.currency,
            idempotencyKey: `services-invoice:${e.id}:${entryId}`,
            kind: 'services_invoice',
            description: `${e.title}: services through ${end}`,
            effectiveDate: new Date(`${end}T00:00:00Z`),
            periodTag: month,
            servicePeriodStart: new Date(`${month}-01T00:00:00Z`),
            servicePeriodEnd: new Date(`${end}T00:00:00Z`),
            createdById: actor?.userId,
          },
        })
        const entries =
          e.type === 'fixed_price'
            ? []
            : await tx.$queryRaw<{ minutes: number; rateMinor: bigint; amountMinor: bigint; userId: string }[]>`
          UPDATE "TimeEntry" t SET "invoiceEntryId" = ${entryId}
            FROM "Timesheet" s
           WHERE s."id" = t."timesheetId" AND t."engagementId" = ${e.id} AND t."invoiceEntryId" IS NULL
             AND t."day" <= ${end}::date AND s."status" IN ('approved', 'locked')
          RETURNING t."minutes", t."rateMinor", t."amountMinor", s."userId"`
        // Approved expenses and accepted milestones of the month are claimed the same way.
        const expenses = await tx.$queryRaw<{ day: Date; description: string; amountMinor: bigint }[]>`
          UPDATE "EngagementExpense" SET "invoiceEntryId" = ${entryId}
           WHERE "engagementId" = ${e.id} AND "invoiceEntryId" IS NULL AND "status" = 'approved'
             AND "day" <= ${end}::date
          RETURNING "day", "description", "amountMinor"`
        const milestones = await tx.$queryRaw<{ seq: number; title: string; amountMinor: bigint }[]>`
          UPDATE "EngagementMilestone" SET "invoiceEntryId" = ${entryId}
           WHERE "engagementId" = ${e.id} AND "invoiceEntryId" IS NULL AND "status" = 'accepted'
             AND "acceptedAt" < ${afterEnd}
          RETURNING "seq", "title", "amountMinor"`
        if (entries.length + expenses.length + milestones.length === 0) throw nothingLeft
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
        const accounts = await accountIds(tx, e.organizationId, e.currency, ['services_receivable', 'services_revenue'])
        await tx.journalLine.createMany({
          data: [
            ...[...groups.values()]
              .sort((a, b) => a.role.localeCompare(b.role) || Number(a.rateMinor - b.rateMinor))
              .map((g) => ({
                accountId: accounts.get('services_receivable')!,
                debitMinor: g.amountMinor,
                creditMinor: 0n,
                memo: `${e.title}: ${g.role.replaceAll('_', ' ')}, ${g.minutes / 60} h at ${money(g.rateMinor)}/h`,
              })),
            ...milestones
              .sort((a, b) => a.seq - b.seq)
              .map((m) => ({
                accountId: accounts.get('services_receivable')!,
                debitMinor: m.amountMinor,
                creditMinor: 0n,
                memo: `${e.title}: milestone ${m.seq}, ${m.title}`,
              })),
            ...expenses
              .sort((a, b) => a.day.getTime() - b.day.getTime())
              .map((x) => ({
                accountId: accounts.get('services_receivable')!,
                debitMinor: x.amountMinor,
                creditMinor: 0n,
                memo: `${e.title}: expense of ${x.day.toISOString().slice(0, 10)}, ${x.description}`,
              })),
            {
              accountId: accounts.get('services_revenue')!,
              debitMinor: 0n,
              creditMinor: total,
              memo: `${e.title}: services`,
            },
          ].map((l) => ({ id: newId(), entryId, organizationId: e.organizationId, ...l })),
        })
        await tx.$executeRaw`
          UPDATE "Timesheet" s SET "status" = 'invoiced'
           WHERE s."engagementId" = ${e.id} AND s."status" IN ('approved', 'locked')
             AND NOT EXISTS (SELECT 1 FROM "TimeEntry" t WHERE t."timesheetId" = s."id" AND t."invoiceEntryId" IS NULL)`
        await enqueueJob(tx, 'billing.issue-invoice', { journalEntryId: entryId })
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
      .catch((err: unknown) => {
        if (err === nothingLeft) return null
        throw err
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
