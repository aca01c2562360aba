import { z } from 'zod'
import { auditActorOf, recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { newId } from '../platform/db/ids.ts'
import { moneyIn } from '../engagements/engagement-money.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { postSeatPack } from './post-seat-pack.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

/**
 * The least a seat may sell for without a second look: $250.00 a seat, about a third of a seat's list
 * price (the course and its exam voucher, $699). Packs are negotiated ($50K–100K for a hundred seats or
 * so); a price under this is a typo or a deal, and a deal needs a second finance person (issue 30).
 */
export const SEAT_PRICE_FLOOR_MINOR = 25_000n

/** Whether a pack's price is under the floor for its seats, so finance must approve it first. */
export const needsPriceApproval = (priceMinor: bigint, seats: number) =>
  priceMinor < SEAT_PRICE_FLOOR_MINOR * BigInt(seats)

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
    })
    .refine((p) => p > 0n, 'A seat pack is never free: enter the price agreed.'),
})

/**
 * A company buys a pack of seats (course plus exam voucher each) on invoice: the pack, its posting
 * (receivable against training revenue) and the invoice job commit together, through the same
 * billing as every other invoice. Under the price floor the pack waits, unposted and unusable, for a
 * second finance person's approval (decide-seat-pack.ts).
 */
export async function sellSeatPack(scope: TenantScope, input: z.input<typeof sellSeatPackSchema>) {
  assertCan(scope, 'training.sell_seats')
  const data = parseInput(sellSeatPackSchema, input)
  const course = await unscopedDb('catalogue').course.findUnique({ where: { slug: data.courseSlug } })
  const exam = await unscopedDb('catalogue').exam.findUnique({ where: { slug: data.examSlug } })
  if (!course || !exam) throw new AppError('not_found', 'No such course or exam.')
  const currency = 'USD'
  const pendingApproval = needsPriceApproval(data.price, data.seats)
  return scope.db.$transaction(async (tx) => {
    const pack = {
      id: newId(),
      organizationId: scope.organization.id,
      courseId: course.id,
      examId: exam.id,
      seats: data.seats,
      priceMinor: data.price,
      currency,
      status: pendingApproval ? ('pending_approval' as const) : ('approved' as const),
      requestedById: scope.actor.userId,
    }
    await tx.trainingSeatPack.create({ data: pack })
    if (pendingApproval) {
      await recordAuditEvent(tx, {
        actor: auditActorOf(scope),
        organizationId: scope.organization.id,
        action: 'training.seats_price_approval_requested',
        targetType: 'training_seat_pack',
        targetId: pack.id,
        changes: {
          seats: data.seats,
          price: moneyIn(data.price, currency),
          floor: moneyIn(SEAT_PRICE_FLOOR_MINOR * BigInt(data.seats), currency),
        },
      })
      return { packId: pack.id, journalEntryId: null, pendingApproval }
    }
    const description = `${course.title} + ${exam.title}: ${data.seats} seats`
    const journalEntryId = await postSeatPack(tx, scope, pack, description)
    return { packId: pack.id, journalEntryId, pendingApproval }
  })
}
