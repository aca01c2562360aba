import { recordAuditEvent } from '../audit/record-audit-event.ts'
import { stripe } from '../billing/stripe-client.ts'
import { db } from '../db/client.ts'
import { newId } from '../db/ids.ts'
import type { JobHandler } from '../jobs/define-job.ts'
import { postJournalEntry } from '../ledger/post-journal-entry.ts'
import { moneyIn } from '../engagements/engagement-money.ts'
import { logger } from '../observability/logger.ts'
import { now } from '../platform/clock.ts'
import { addMonths } from './exam-policy.ts'

/** A voucher is good for a year from purchase. */
export const VOUCHER_MONTHS = 12

/**
 * After Stripe's signed checkout.session.completed: the session is read back from Stripe (the event's
 * payload is not trusted), and a paid one grants what the order bought, once: the order's move from
 * open to paid is the only gate, so a replayed or duplicated event grants nothing more.
 */
export async function fulfilCheckout(sessionId: string): Promise<'granted' | 'unpaid' | 'unknown' | 'done'> {
  const session = await stripe().checkout.sessions.retrieve(sessionId)
  const order = await db().trainingOrder.findUnique({ where: { stripeSessionId: session.id } })
  if (!order || order.id !== session.client_reference_id) {
    logger().warn({ sessionId }, 'checkout session without a matching training order')
    return 'unknown'
  }
  if (session.payment_status !== 'paid') return 'unpaid'
  if (BigInt(session.amount_total ?? -1) !== order.amountMinor || session.currency?.toUpperCase() !== order.currency) {
    logger().error({ sessionId, orderId: order.id }, 'checkout amount differs from the order: not granted')
    return 'unknown'
  }
  return db().$transaction(async (tx) => {
    const at = now()
    const paid = await tx.trainingOrder.updateMany({
      where: { id: order.id, status: 'open' },
      data: { status: 'paid', paidAt: at, paymentIntent: String(session.payment_intent) },
    })
    if (!paid.count) return 'done' as const
    if (order.promotionCode)
      await tx.trainingPromotionCode.update({
        where: { code: order.promotionCode },
        data: { redeemed: { increment: 1 } },
      })
    // The sale is on the books the moment it is granted: cash through Stripe against training revenue.
    const what = { course: 'Course enrolment', exam: 'Exam voucher', bundle: 'Course and exam voucher' }[
      order.product as 'course' | 'exam' | 'bundle'
    ]
    // A bundle grants both: the enrolment and the voucher, each tied to this order.
    const bundle =
      order.product === 'bundle' ? await tx.trainingBundle.findUniqueOrThrow({ where: { id: order.productId } }) : null
    const courseId = bundle?.courseId ?? (order.product === 'course' ? order.productId : null)
    const examId = bundle?.examId ?? (order.product === 'exam' ? order.productId : null)
    const discount = order.discountMinor
      ? ` less ${moneyIn(order.discountMinor, order.currency)} (${order.promotionCode})`
      : ''
    await postJournalEntry(tx, {
      organizationId: order.organizationId,
      currency: order.currency,
      idempotencyKey: `training-order:${order.id}`,
      kind: 'training_invoice',
      description: `${what}, Stripe Checkout ${session.id}`,
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
      changes: { product: order.product, amountMinor: String(order.amountMinor), session: session.id },
    })
    return 'granted' as const
  })
}

export const handleFulfilCheckout: JobHandler<'training.fulfil-checkout'> = async ({ sessionId }) => {
  await fulfilCheckout(sessionId)
}
