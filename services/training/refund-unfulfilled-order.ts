import { recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { stripe } from '../billing/stripe-client.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { mailEach } from '../engagements/notify.ts'
import { moneyIn } from '../engagements/engagement-money.ts'
import type { JobHandler } from '../platform/jobs/define-job.ts'
import { enqueueJob } from '../platform/jobs/enqueue-job.ts'
import { reverseJournalEntry } from '../ledger/post-journal-entry.ts'
import { logger } from '../platform/observability/logger.ts'
import { now } from '../platform/clock.ts'
import { isTrainingProduct } from './training-product.ts'

const bought = { course: 'the course', exam: 'the exam voucher', bundle: 'the course and exam voucher' }

export interface UnfulfilledOrder {
  id: string
  organizationId: string
  userId: string
  product: string
  amountMinor: bigint
  currency: string
}

/** One refund per order at Stripe, however often it is asked for (the fulfil job, the finish job, the sweep). */
const refundKey = (orderId: string) => `training-refund:${orderId}`

/**
 * Money taken is either fulfilled or returned (issue 30): a paid checkout that cannot be fulfilled (its
 * promotion code used up meanwhile, its product gone, an amount that differs, a grant that keeps failing)
 * is refunded in full through Stripe. The order is first committed as `refunding` with the reason, a
 * state the grant never accepts, so nothing that fails after Stripe refunded can put it back to `open`
 * and have a retried fulfil job grant it; the same transaction queues training.finish-refund, which
 * retries the rest should it fail here. False when the order was no longer open.
 */
export async function refundUnfulfilledOrder(order: UnfulfilledOrder, paymentIntent: string, reason: string) {
  const started = await unscopedDb('provider callback').$transaction(async (tx) => {
    const at = now()
    const moved = await tx.trainingOrder.updateMany({
      where: { id: order.id, status: { in: ['open', 'expired'] } },
      data: { status: 'refunding', refundReason: reason, paymentIntent },
    })
    if (!moved.count) return false
    // The code's use is free for others at once: this order will never consume it.
    await tx.trainingPromotionRedemption.updateMany({
      where: { orderId: order.id, status: 'reserved' },
      data: { status: 'released', decidedAt: at },
    })
    await enqueueJob(tx, 'training.finish-refund', { orderId: order.id })
    return true
  })
  if (!started) return false
  try {
    await finishRefund(order.id)
    return 'refunded' as const
  } catch (err) {
    // Committed as refunding: training.finish-refund (and the five-minute sweep) finish it.
    logger().warn({ err, orderId: order.id }, 'automatic refund started; finishing it is left to its job')
    return 'refunding' as const
  }
}

/**
 * Finishes a `refunding` order: Stripe refunds it outside any transaction under the order's idempotency
 * key (a retry is the same refund), then the order is marked refunded, the sale reversed should it have
 * been posted, and the learner mailed why, in one transaction that only the first finisher commits.
 * 'refunded' when this call finished it; 'done' when it was not refunding (finished already, or never).
 */
export async function finishRefund(orderId: string): Promise<'refunded' | 'done'> {
  const order = await unscopedDb('platform job').trainingOrder.findUnique({ where: { id: orderId } })
  if (order?.status !== 'refunding') return 'done'
  const reason = order.refundReason ?? 'we could not complete the order'
  await stripe().refunds.create(
    { payment_intent: order.paymentIntent!, metadata: { order_id: order.id, reason: 'not_fulfilled' } },
    { idempotencyKey: refundKey(order.id) },
  )
  return unscopedDb('platform job').$transaction(async (tx) => {
    const at = now()
    const moved = await tx.trainingOrder.updateMany({
      where: { id: order.id, status: 'refunding' },
      data: { status: 'refunded', refundedAt: at },
    })
    if (!moved.count) return 'done' as const
    const sale = await tx.journalEntry.findFirst({ where: { idempotencyKey: `training-order:${order.id}` } })
    if (sale)
      await reverseJournalEntry(tx, sale.id, {
        idempotencyKey: refundKey(order.id),
        effectiveDate: at.toISOString().slice(0, 10),
        description: `Automatic refund: ${reason}`,
      })
    await recordAuditEvent(tx, {
      actor: null,
      organizationId: order.organizationId,
      action: 'training.order_refunded_unfulfilled',
      targetType: 'training_order',
      targetId: order.id,
      changes: { amountMinor: String(order.amountMinor), reason },
    })
    const learner = await tx.user.findUniqueOrThrow({ where: { id: order.userId }, select: { email: true } })
    const what = isTrainingProduct(order.product) ? bought[order.product] : 'your order'
    await mailEach(
      tx,
      [learner.email],
      'Your training payment was refunded',
      [
        `We could not give you ${what}: ${reason}.`,
        `Your payment of ${moneyIn(order.amountMinor, order.currency)} is refunded in full to your card; ` +
          'your bank shows it within 5 to 10 days. Nothing else is needed from you.',
      ],
      { label: 'Open your training', path: '/learn' },
    )
    return 'refunded' as const
  })
}

export const handleFinishRefund: JobHandler<'training.finish-refund'> = async ({ orderId }) => {
  await finishRefund(orderId)
}
