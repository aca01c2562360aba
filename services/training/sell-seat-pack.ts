import { z } from 'zod'
import { auditActorOf, recordAuditEvent } from '../audit/record-audit-event.ts'
import { db } from '../db/client.ts'
import { newId } from '../db/ids.ts'
import { moneyIn } from '../engagements/engagement-money.ts'
import { AppError } from '../errors/app-error.ts'
import { enqueueJob } from '../jobs/enqueue-job.ts'
import { accountIds } from '../ledger/post-journal-entry.ts'
import { now } from '../platform/clock.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'

export const sellSeatPackSchema = z.object({
  courseSlug: z.string().min(1).max(100),
  examSlug: z.string().min(1).max(100),
  seats: z.coerce.number().int().min(1, 'At least one seat.').max(1000),
  /** Price of the pack in dollars and cents, as agreed (packages are $50K–100K). */
  price: z
    .string()
    .trim()
    .regex(/^\d{1,9}(\.\d{1,2})?$/, 'Write the price like 50000 or 50000.00.')
    .transform((p) => {
      const [whole, cents = ''] = p.split('.')
      return BigInt(whole!) * 100n + BigInt(cents.padEnd(2, '0'))
    }),
})

/**
 * A company buys a pack of seats (course plus exam voucher each) on invoice: the pack, its posting
 * (receivable against training revenue) and the invoice job commit together, through the same
 * billing as every other invoice.
 */
export async function sellSeatPack(scope: TenantScope, input: z.input<typeof sellSeatPackSchema>) {
  assertCan(scope, 'training.sell_seats')
  const data = sellSeatPackSchema.parse(input)
  const course = await db().course.findUnique({ where: { slug: data.courseSlug } })
  const exam = await db().exam.findUnique({ where: { slug: data.examSlug } })
  if (!course || !exam) throw new AppError('not_found', 'No such course or exam.')
  const currency = 'USD'
  return scope.db.$transaction(async (tx) => {
    const packId = newId()
    const entryId = newId()
    const description = `${course.title} + ${exam.title}: ${data.seats} seats`
    await tx.journalEntry.create({
      data: {
        id: entryId,
        organizationId: scope.organization.id,
        currency,
        idempotencyKey: `training-seats:${packId}`,
        kind: 'training_invoice',
        description,
        effectiveDate: new Date(`${now().toISOString().slice(0, 10)}T00:00:00Z`),
        createdById: scope.actor.userId,
      },
    })
    const accounts = await accountIds(tx, scope.organization.id, currency, ['royalty_receivable', 'training_revenue'])
    await tx.journalLine.createMany({
      data: [
        { accountId: accounts.get('royalty_receivable')!, debitMinor: data.price, creditMinor: 0n, memo: description },
        {
          accountId: accounts.get('training_revenue')!,
          debitMinor: 0n,
          creditMinor: data.price,
          memo: 'Training seats',
        },
      ].map((l) => ({ id: newId(), entryId, organizationId: scope.organization.id, ...l })),
    })
    await tx.trainingSeatPack.create({
      data: {
        id: packId,
        organizationId: scope.organization.id,
        courseId: course.id,
        examId: exam.id,
        seats: data.seats,
        priceMinor: data.price,
        currency,
        invoiceId: entryId,
      },
    })
    await enqueueJob(tx, 'billing.issue-invoice', { journalEntryId: entryId })
    await recordAuditEvent(tx, {
      actor: auditActorOf(scope),
      organizationId: scope.organization.id,
      action: 'training.seats_sell',
      targetType: 'training_seat_pack',
      targetId: packId,
      changes: { seats: data.seats, price: moneyIn(data.price, currency), journalEntryId: entryId },
    })
    return { packId, journalEntryId: entryId }
  })
}
