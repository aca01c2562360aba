import { z } from 'zod'
import { auditActorOf, recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { stripe } from '../billing/stripe-client.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { reverseJournalEntry } from '../ledger/post-journal-entry.ts'
import { now } from '../platform/clock.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { toTrainingProduct } from './training-product.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

const refundOf = { course: 'a course enrolment', exam: 'an exam voucher', bundle: 'a course and exam voucher' }

export const refundOrderSchema = z.object({ orderId: z.string().min(1).max(64) })

/**
 * A refund before the exam is started (or, for a course, before it is completed) revokes what it
 * paid for. The voucher's move from available to refunded and the order's from paid to refunded
 * happen in one transaction with Stripe's refund: if Stripe refuses, nothing changes; a voucher that
 * an attempt is using cannot be refunded, whatever the two requests race.
 */
export async function refundOrder(scope: TenantScope, input: z.input<typeof refundOrderSchema>) {
  assertCan(scope, 'training.refund')
  const { orderId } = parseInput(refundOrderSchema, input)
  return scope.db.$transaction(async (tx) => {
    const order = await tx.trainingOrder.findFirst({ where: { id: orderId } })
    if (!order || (order.userId !== scope.actor.userId && !scope.onBehalf))
      throw new AppError('not_found', 'No such order.')
    const at = now()
    const moved = await tx.trainingOrder.updateMany({
      where: { id: order.id, status: 'paid' },
      data: { status: 'refunded', refundedAt: at },
    })
    if (!moved.count) throw new AppError('conflict', 'Only a paid order can be refunded.')
    // What the order granted must be unused: the voucher not started, the course not completed.
    if (order.product !== 'course') {
      const voucher = await tx.examVoucher.updateMany({
        where: { orderId: order.id, status: 'available' },
        data: { status: 'refunded' },
      })
      if (!voucher.count)
        throw new AppError('conflict', 'The exam was started with this voucher: it can no longer be refunded.')
    }
    if (order.product !== 'exam') {
      const enrolment = await tx.enrolment.updateMany({
        where: { orderId: order.id, revokedAt: null, completedAt: null },
        data: { revokedAt: at },
      })
      if (!enrolment.count) throw new AppError('conflict', 'A completed course can no longer be refunded.')
    }
    // The sale's posting is reversed, never edited: the books show the sale and its refund.
    const sale = await tx.journalEntry.findFirst({ where: { idempotencyKey: `training-order:${order.id}` } })
    if (sale)
      await reverseJournalEntry(tx, sale.id, {
        idempotencyKey: `training-refund:${order.id}`,
        effectiveDate: at.toISOString().slice(0, 10),
        description: `Refund of ${refundOf[toTrainingProduct(order.product)]}`,
        createdById: scope.actor.userId,
      })
    await stripe().refunds.create(
      { payment_intent: order.paymentIntent!, metadata: { order_id: order.id } },
      { idempotencyKey: `training-refund:${order.id}` },
    )
    await recordAuditEvent(tx, {
      actor: auditActorOf(scope),
      organizationId: scope.organization.id,
      action: 'training.order_refund',
      targetType: 'training_order',
      targetId: order.id,
      changes: { amountMinor: String(order.amountMinor), product: order.product },
    })
    return { refundedMinor: order.amountMinor }
  })
}
