import { z } from 'zod'
import { db } from '../db/client.ts'
import { defineJob } from '../jobs/define-job.ts'
import { enqueueJob } from '../jobs/enqueue-job.ts'
import { recordPayment } from '../ledger/record-payment.ts'
import { logger } from '../observability/logger.ts'
import { systemScope } from '../tenancy/tenant-guard.ts'
import { isStripeConfigured, stripe, stripeWebhookSecret } from './stripe-client.ts'
import { now } from '../platform/clock.ts'

/**
 * A Stripe webhook: the SDK verifies the signature over the raw body; each event id is recorded
 * once and schedules a sync of its invoice in the same transaction. The event's payload is not
 * trusted for state: the sync re-reads the invoice from Stripe.
 */
export async function receiveStripeWebhook(
  raw: Buffer,
  signature: string | null,
): Promise<{ status: 200 | 400; message: string }> {
  if (!isStripeConfigured() || !signature) return { status: 400, message: 'Missing or unverifiable Stripe-Signature.' }
  let event: { id: string; type: string; data: { object: { object?: string; id?: string } } }
  try {
    event = stripe().webhooks.constructEvent(raw, signature, stripeWebhookSecret()) as unknown as typeof event
  } catch (err) {
    logger().warn({ err }, 'Stripe webhook signature refused')
    return { status: 400, message: 'Signature does not verify.' }
  }
  const object = event.data.object
  await db().$transaction(async (tx) => {
    const inserted = await tx.stripeWebhookEvent.createMany({
      data: [{ id: event.id, type: event.type }],
      skipDuplicates: true,
    })
    if (inserted.count && object.object === 'invoice' && object.id)
      await enqueueJob(tx, 'billing.sync-invoice', { stripeInvoiceId: object.id })
  })
  return { status: 200, message: 'Received.' }
}

/** Brings one invoice up to date with Stripe; a payment is booked once, by its reference. */
export async function syncInvoice(stripeInvoiceId: string): Promise<void> {
  const local = await db().invoice.findUnique({
    where: { stripeInvoiceId },
    select: { id: true, organizationId: true },
  })
  if (!local) return
  const scope = await systemScope(local.organizationId)
  const truth = await stripe().invoices.retrieve(stripeInvoiceId)
  const invoice = await scope.db.invoice.findUniqueOrThrow({ where: { id: local.id } })
  if (truth.status === 'paid' && invoice.status !== 'paid') {
    await recordPayment(scope, {
      reference: `stripe:${stripeInvoiceId}`,
      currency: invoice.currency,
      amountMinor: BigInt(truth.amount_paid),
      description: `Stripe payment of invoice ${truth.number ?? stripeInvoiceId}`,
    })
    await scope.db.invoice.update({
      where: { id: invoice.id },
      data: {
        status: 'paid',
        amountPaidMinor: BigInt(truth.amount_paid),
        paidAt: truth.status_transitions?.paid_at ? new Date(truth.status_transitions.paid_at * 1000) : now(),
        lastFailure: null,
      },
    })
  } else if (truth.status === 'open' && (truth.attempt_count ?? 0) > 0 && invoice.status === 'open') {
    await scope.db.invoice.update({
      where: { id: invoice.id },
      data: { lastFailure: `Payment attempt ${truth.attempt_count} failed` },
    })
  } else if ((truth.status === 'void' || truth.status === 'uncollectible') && invoice.status !== truth.status) {
    await scope.db.invoice.update({
      where: { id: invoice.id },
      data: { status: truth.status as 'void' | 'uncollectible' },
    })
  }
}

export const syncInvoiceJob = defineJob({
  name: 'billing.sync-invoice',
  payload: z.object({ stripeInvoiceId: z.string().min(1) }),
  handle: async ({ stripeInvoiceId }) => {
    await syncInvoice(stripeInvoiceId)
  },
})
