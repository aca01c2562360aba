import { createHash } from 'node:crypto'
import { z } from 'zod'
import { auditActorOf, recordAuditEvent } from '../audit/record-audit-event.ts'
import { db } from '../db/client.ts'
import { Prisma } from '../db/generated/client.ts'
import { AppError } from '../errors/app-error.ts'
import { canAsStaff, type Actor } from '../identity/actor.ts'
import type { JobHandler } from '../jobs/define-job.ts'
import { enqueueJob } from '../jobs/enqueue-job.ts'
import { postJournalEntry } from '../ledger/post-journal-entry.ts'
import type { Currency } from '../money/currency.ts'
import { formatMoney } from '../money/money.ts'
import { now } from '../platform/clock.ts'
import { systemScope } from '../tenancy/tenant-guard.ts'

export const invoiceRunSchema = z.object({
  month: z
    .string()
    .trim()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'Enter a month like 2027-03.'),
})

const monthEnd = (month: string) => {
  const [y, m] = month.split('-').map(Number) as [number, number]
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10)
}

/**
 * The monthly invoice run: for every engagement, the approved time up to the month's end that no
 * invoice has billed becomes one posting (receivable by role and rate, services revenue) and one
 * Stripe invoice (billing.issue-invoice). Each entry is claimed under its row lock and marked with
 * the posting in the same transaction; the database lets an entry be marked once, so two runs that
 * start together bill each entry once.
 */
export async function runServicesInvoicing(input: z.input<typeof invoiceRunSchema>, actor?: Actor) {
  if (actor && !canAsStaff(actor, 'services.manage'))
    throw new AppError('forbidden', 'You do not have permission to do this (services.manage).')
  const parsed = invoiceRunSchema.safeParse(input)
  if (!parsed.success)
    throw new AppError('invalid_input', 'Check the month.', { month: [parsed.error.issues[0]!.message] })
  const { month } = parsed.data
  const end = monthEnd(month)
  if (end >= now().toISOString().slice(0, 10))
    throw new AppError('invalid_input', 'Check the month.', { month: [`${month} has not ended yet.`] })
  const engagements = await db().engagement.findMany({
    where: {
      timeEntries: {
        some: {
          invoiceEntryId: null,
          day: { lte: new Date(`${end}T00:00:00Z`) },
          timesheet: { status: { in: ['approved', 'locked'] } },
        },
      },
    },
    select: { id: true, organizationId: true, title: true, currency: true, members: true },
  })
  const invoiced: { engagementId: string; journalEntryId: string; amount: string }[] = []
  for (const e of engagements) {
    const scope = await systemScope(e.organizationId)
    const result = await scope.db.$transaction(async (tx) => {
      // Claim: lock the unbilled entries; a run that waited here sees those another run billed as billed.
      const entries = await tx.$queryRaw<
        { id: string; minutes: number; rateMinor: bigint; amountMinor: bigint; userId: string }[]
      >`SELECT t."id", t."minutes", t."rateMinor", t."amountMinor", s."userId"
          FROM "TimeEntry" t JOIN "Timesheet" s ON s."id" = t."timesheetId"
         WHERE t."engagementId" = ${e.id} AND t."invoiceEntryId" IS NULL AND t."day" <= ${end}::date
           AND s."status" IN ('approved', 'locked')
         ORDER BY t."id"
           FOR UPDATE OF t`
      if (entries.length === 0) return null
      const groups = new Map<string, { minutes: number; rateMinor: bigint; amountMinor: bigint; role: string }>()
      for (const x of entries) {
        const role = e.members.find((m) => m.userId === x.userId)?.rateRole ?? 'consultant'
        const key = `${role}:${x.rateMinor}`
        const g = groups.get(key) ?? { minutes: 0, rateMinor: x.rateMinor, amountMinor: 0n, role }
        g.minutes += x.minutes
        g.amountMinor += x.amountMinor
        groups.set(key, g)
      }
      const total = entries.reduce((s, x) => s + x.amountMinor, 0n)
      const money = (minor: bigint) => formatMoney({ minor, currency: e.currency as Currency })
      const ids = entries.map((x) => x.id)
      const posting = await postJournalEntry(tx, {
        organizationId: e.organizationId,
        currency: e.currency,
        // Keyed by what it bills: the same claim posts once, whichever run gets there first.
        idempotencyKey: `services-invoice:${e.id}:${createHash('sha256').update(ids.join(',')).digest('hex')}`,
        kind: 'services_invoice',
        description: `${e.title}: time through ${end}`,
        effectiveDate: end,
        periodTag: month,
        servicePeriod: { start: `${month}-01`, end },
        lines: [
          ...[...groups.values()].map((g) => ({
            account: 'royalty_receivable' as const,
            debitMinor: g.amountMinor,
            memo: `${e.title}: ${g.role.replaceAll('_', ' ')}, ${g.minutes / 60} h at ${money(g.rateMinor)}/h`,
          })),
          { account: 'services_revenue' as const, creditMinor: total, memo: `${e.title}: services` },
        ],
      })
      if (!posting.created) return null
      const marked = await tx.$executeRaw`
        UPDATE "TimeEntry" SET "invoiceEntryId" = ${posting.id}
         WHERE "id" IN (${Prisma.join(ids)}) AND "invoiceEntryId" IS NULL`
      if (marked !== ids.length)
        throw new AppError('conflict', 'Another invoice run billed some of this time; run again.')
      await tx.$executeRaw`
        UPDATE "Timesheet" s SET "status" = 'invoiced'
         WHERE s."engagementId" = ${e.id} AND s."status" IN ('approved', 'locked')
           AND NOT EXISTS (SELECT 1 FROM "TimeEntry" t WHERE t."timesheetId" = s."id" AND t."invoiceEntryId" IS NULL)`
      await enqueueJob(tx, 'billing.issue-invoice', { journalEntryId: posting.id })
      await recordAuditEvent(tx, {
        actor: actor ? auditActorOf({ actor }) : null,
        organizationId: e.organizationId,
        action: 'services.invoice',
        targetType: 'engagement',
        targetId: e.id,
        changes: { month, journalEntryId: posting.id, entries: ids.length, amountMinor: total.toString() },
      })
      return { engagementId: e.id, journalEntryId: posting.id, amount: money(total) }
    })
    if (result) invoiced.push(result)
  }
  return { month, invoiced }
}

/** On the first of each month, the month before. */
export const handleServicesInvoiceRun: JobHandler<'services.invoice-run'> = async () => {
  const d = now()
  const prev = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1)).toISOString().slice(0, 7)
  await runServicesInvoicing({ month: prev })
}
