import { recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { stripe } from '../billing/stripe-client.ts'
import type { Db, Tx } from '../platform/db/client.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { newId } from '../platform/db/ids.ts'
import type { JobHandler } from '../platform/jobs/define-job.ts'
import { defaultJobOptions } from '../platform/jobs/queue.ts'
import { postJournalEntry } from '../ledger/post-journal-entry.ts'
import { moneyIn } from '../engagements/engagement-money.ts'
import { logger } from '../platform/observability/logger.ts'
import { now } from '../platform/clock.ts'
import { addMonths } from './exam-policy.ts'
import { refundUnfulfilledOrder } from './refund-unfulfilled-order.ts'
import { lockPromotion } from './reserve-promotion.ts'
import { toTrainingProduct } from './training-product.ts'

/** A voucher is good for a year from purchase. */
export const VOUCHER_MONTHS = 12

/** A paid order that cannot be granted, and why in the learner's words (the refund mail quotes it). */
class Unfulfillable extends Error {
  constructor(readonly reason: string) {
    super(reason)
  }
}

/**
 * After Stripe's signed checkout.session.completed: the session is read back from Stripe (the event's
 * payload is not trusted), and a paid one grants what the order bought, once: the order's move from
 * open to paid is the only gate, so a replayed or duplicated event grants nothing more. A payment that
 * cannot be granted is refunded (issue 30): at once where the reason is known (a code used up, a product
 * gone, another amount), and on the job's last attempt for any other failure. An order refunding (or
 * refunded) is never granted, and a paid checkout this job never finished is the sweep's
 * (reconcileCheckouts in expire-checkout.ts).
 */
export async function fulfilCheckout(
  sessionId: string,
  opts: { lastAttempt?: boolean } = {},
): Promise<'granted' | 'unpaid' | 'unknown' | 'done' | 'refunded' | 'refunding'> {
  const session = await stripe().checkout.sessions.retrieve(sessionId)
  const order = await unscopedDb('provider callback').trainingOrder.findUnique({
    where: { stripeSessionId: session.id },
  })
  if (!order || order.id !== session.client_reference_id) {
    logger().warn({ sessionId }, 'checkout session without a matching training order')
    return 'unknown'
  }
  if (session.payment_status !== 'paid') return 'unpaid'
  const paymentIntent = String(session.payment_intent)
  try {
    if (BigInt(session.amount_total ?? -1) !== order.amountMinor || session.currency?.toUpperCase() !== order.currency)
      throw new Unfulfillable('the amount paid differs from the order’s price')
    return await grantOrder(order, session.id, paymentIntent)
  } catch (e) {
    const reason =
      e instanceof Unfulfillable ? e.reason : opts.lastAttempt ? 'we could not complete the order' : undefined
    if (!reason) throw e
    logger().error({ err: e, sessionId, orderId: order.id }, 'paid checkout not fulfilled: refunding it')
    return (await refundUnfulfilledOrder(order, paymentIntent, reason)) || 'done'
  }
}

type Order = NonNullable<Awaited<ReturnType<Db['trainingOrder']['findUnique']>>>

/**
 * The order's promotion code use: its live reservation is consumed; a lapsed or missing one (the checkout
 * outlived its hold, or opened before reservations) takes a use now under the code's lock, if one is left.
 */
async function consumePromotion(tx: Tx, order: Order, at: Date) {
  const code = order.promotionCode!
  const held = await tx.trainingPromotionRedemption.updateMany({
    where: { orderId: order.id, status: 'reserved', expiresAt: { gt: at } },
    data: { status: 'consumed', decidedAt: at },
  })
  if (!held.count) {
    const promo = await lockPromotion(tx, code, at, order.id)
    if (!promo?.hasRoom)
      throw new Unfulfillable(`the promotion code ${code} was used up by others while your checkout was open`)
    await tx.trainingPromotionRedemption.upsert({
      where: { orderId: order.id },
      create: {
        orderId: order.id,
        organizationId: order.organizationId,
        code,
        status: 'consumed',
        expiresAt: at,
        decidedAt: at,
      },
      update: { status: 'consumed', decidedAt: at },
    })
  }
  await tx.trainingPromotionCode.update({ where: { code }, data: { redeemed: { increment: 1 } } })
}

/** What the order bought, if it is still sold: a course, an exam, or a bundle of both. */
async function productOf(tx: Tx, order: Order) {
  const where = { where: { id: order.productId } }
  const found =
    order.product === 'bundle'
      ? await tx.trainingBundle.findUnique(where)
      : order.product === 'course'
        ? await tx.course.findUnique(where)
        : await tx.exam.findUnique(where)
  if (!found) throw new Unfulfillable(`the ${order.product} you bought is no longer offered`)
  return {
    courseId: 'courseId' in found ? found.courseId : order.product === 'course' ? found.id : null,
    examId: 'examId' in found ? found.examId : order.product === 'exam' ? found.id : null,
  }
}

async function grantOrder(order: Order, sessionId: string, paymentIntent: string) {
  return unscopedDb('provider callback').$transaction(async (tx) => {
    const at = now()
    // An order whose checkout was expired by the sweep can still be paid in the race with it.
    const paid = await tx.trainingOrder.updateMany({
      where: { id: order.id, status: { in: ['open', 'expired'] } },
      data: { status: 'paid', paidAt: at, paymentIntent },
    })
    if (!paid.count) return 'done' as const
    const { courseId, examId } = await productOf(tx, order)
    if (order.promotionCode) await consumePromotion(tx, order, at)
    // The sale is on the books the moment it is granted: cash through Stripe against training revenue.
    const what = { course: 'Course enrolment', exam: 'Exam voucher', bundle: 'Course and exam voucher' }[
      toTrainingProduct(order.product)
    ]
    const discount = order.discountMinor
      ? ` less ${moneyIn(order.discountMinor, order.currency)} (${order.promotionCode})`
      : ''
    await postJournalEntry(tx, {
      organizationId: order.organizationId,
      currency: order.currency,
      idempotencyKey: `training-order:${order.id}`,
      kind: 'training_invoice',
      description: `${what}, Stripe Checkout ${sessionId}`,
      effectiveDate: at.toISOString().slice(0, 10),
      lines: [
        { account: 'cash', debitMinor: order.amountMinor, memo: `${what} paid by card (Stripe Checkout)` },
        {
          account: 'training_revenue',
          creditMinor: order.amountMinor,
          memo: `${what}: list ${moneyIn(order.listPriceMinor, order.currency)}${discount}`,
        },
      ],
    })
    if (courseId)
      await tx.enrolment.upsert({
        where: { userId_courseId: { userId: order.userId, courseId } },
        create: {
          id: newId(),
          organizationId: order.organizationId,
          userId: order.userId,
          courseId,
          source: 'purchase',
          orderId: order.id,
        },
        update: { revokedAt: null, orderId: order.id },
      })
    if (examId)
      await tx.examVoucher.create({
        data: {
          id: newId(),
          organizationId: order.organizationId,
          examId,
          userId: order.userId,
          orderId: order.id,
          expiresAt: addMonths(at, VOUCHER_MONTHS),
        },
      })
    await recordAuditEvent(tx, {
      actor: null,
      organizationId: order.organizationId,
      action: 'training.order_paid',
      targetType: 'training_order',
      targetId: order.id,
      changes: { product: order.product, amountMinor: String(order.amountMinor), session: sessionId },
    })
    return 'granted' as const
  })
}

export const handleFulfilCheckout: JobHandler<'training.fulfil-checkout'> = async ({ sessionId }, { attempt }) => {
  await fulfilCheckout(sessionId, { lastAttempt: attempt >= defaultJobOptions.attempts })
}
