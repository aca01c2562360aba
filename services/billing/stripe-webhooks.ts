import { db } from '../db/client.ts'
import { enqueueJob } from '../jobs/enqueue-job.ts'
import { logger } from '../observability/logger.ts'
import { isStripeAvailable, stripe, stripeWebhookSecret } from './stripe-client.ts'

/**
 * A Stripe webhook: the SDK verifies the signature over the raw body; each event id is recorded
 * once and schedules a sync of its invoice in the same transaction. The event's payload is not
 * trusted for state: the sync re-reads the invoice from Stripe.
 */
export async function receiveStripeWebhook(
  raw: Buffer,
  signature: string | null,
): Promise<{ status: 200 | 400; message: string }> {
  if (!isStripeAvailable() || !signature) return { status: 400, message: 'Missing or unverifiable Stripe-Signature.' }
  let event: { id: string; type: string; data: { object: { object?: string; id?: string; invoice?: string } } }
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
    // An invoice's event, or a credit note's (which changes its invoice): re-read the invoice.
    const stripeInvoiceId =
      object.object === 'invoice' ? object.id : object.object === 'credit_note' ? object.invoice : undefined
    if (inserted.count && stripeInvoiceId) await enqueueJob(tx, 'billing.sync-invoice', { stripeInvoiceId })
    // A training checkout paid: the job reads the session back from Stripe before granting anything.
    if (
      inserted.count &&
      object.object === 'checkout.session' &&
      event.type === 'checkout.session.completed' &&
      object.id
    )
      await enqueueJob(tx, 'training.fulfil-checkout', { sessionId: object.id })
  })
  return { status: 200, message: 'Received.' }
}
