import { recordAuditEvent } from '../audit/record-audit-event.ts'
import { stripe } from '../billing/stripe-client.ts'
import { db } from '../db/client.ts'
import { mailEach } from '../engagements/notify.ts'
import { moneyIn } from '../engagements/engagement-money.ts'
import { reverseJournalEntry } from '../ledger/post-journal-entry.ts'
import { now } from '../platform/clock.ts'

const bought = { course: 'the course', exam: 'the exam voucher', bundle: 'the course and exam voucher' }

export interface UnfulfilledOrder {
  id: string
  organizationId: string
  userId: string
  product: string
  amountMinor: bigint
  currency: string
}

/**
 * Money taken is either fulfilled or returned (issue 30): a paid checkout that cannot be fulfilled (its
 * promotion code used up meanwhile, its product gone, an amount that differs, a grant that keeps failing)
 * is refunded in full through Stripe, the order marked refunded with the reason, the learner told why
 * in the same transaction (the mail goes out only if it commits). The sale was never posted (it is posted
 * with the grant); should it have been, it is reversed. Stripe's idempotency key makes a retry one refund.
 */
export async function refundUnfulfilledOrder(order: UnfulfilledOrder, paymentIntent: string, reason: string) {
  return db().$transaction(async (tx) => {
    const at = now()
    const moved = await tx.trainingOrder.updateMany({
      where: { id: order.id, status: { in: ['open', 'expired'] } },
      data: { status: 'refunded', refundedAt: at, refundReason: reason, paymentIntent },
    })
    if (!moved.count) return false
    await tx.trainingPromotionRedemption.updateMany({
      where: { orderId: order.id, status: 'reserved' },
      data: { status: 'released', decidedAt: at },
    })
    const sale = await tx.journalEntry.findFirst({ where: { idempotencyKey: `training-order:${order.id}` } })
    if (sale)
      await reverseJournalEntry(tx, sale.id, {
        idempotencyKey: `training-refund:${order.id}`,
        effectiveDate: at.toISOString().slice(0, 10),
        description: `Automatic refund: ${reason}`,
      })
    await stripe().refunds.create(
      { payment_intent: paymentIntent, metadata: { order_id: order.id, reason: 'not_fulfilled' } },
      { idempotencyKey: `training-refund:${order.id}` },
    )
    await recordAuditEvent(tx, {
      actor: null,
      organizationId: order.organizationId,
      action: 'training.order_refunded_unfulfilled',
      targetType: 'training_order',
      targetId: order.id,
      changes: { amountMinor: String(order.amountMinor), reason },
    })
    const learner = await tx.user.findUniqueOrThrow({ where: { id: order.userId }, select: { email: true } })
    const what = bought[order.product as keyof typeof bought] ?? 'your order'
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
    return true
  })
}
