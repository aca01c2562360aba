import { z } from 'zod'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { enqueueJob } from '../platform/jobs/enqueue-job.ts'
import { logger } from '../platform/observability/logger.ts'
import { isStripeAvailable, stripe, stripeWebhookSecret } from './stripe-client.ts'

// Stripe's ids and event types; PostgreSQL text cannot hold U+0000.
const stripeText = z
  .string()
  .min(1)
  .max(255)
  .refine((s) => !s.includes('\u0000'))

/** What we read of an event; the rest of Stripe's payload passes unread. */
const stripeEvent = z.object({
  object: z.literal('event'),
  id: stripeText,
  type: stripeText,
  data: z.object({
    // A credit note names its invoice by id; elsewhere `invoice` varies by API version, so it is read there only.
    object: z.object({ object: stripeText.optional(), id: stripeText.optional(), invoice: z.unknown().optional() }),
  }),
})

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
  let signed: unknown
  try {
    signed = stripe().webhooks.constructEvent(raw, signature, stripeWebhookSecret())
  } catch (err) {
    logger().warn({ err }, 'Stripe webhook signature refused')
    return { status: 400, message: 'Signature does not verify.' }
  }
  // Signed but not an event we can read (a test sent by hand, a future API version): refused, nothing recorded.
  const parsed = stripeEvent.safeParse(signed)
  if (!parsed.success) {
    logger().warn({ issues: parsed.error.issues.slice(0, 3) }, 'Stripe webhook is not an event')
    return { status: 400, message: 'Not a Stripe event (JSON with id, type and data.object).' }
  }
  const event = parsed.data
  const object = event.data.object
  await unscopedDb('provider callback').$transaction(async (tx) => {
    const inserted = await tx.stripeWebhookEvent.createMany({
      data: [{ id: event.id, type: event.type }],
      skipDuplicates: true,
    })
    // An invoice's event, or a credit note's (which changes its invoice): re-read the invoice.
    const stripeInvoiceId =
      object.object === 'invoice'
        ? object.id
        : object.object === 'credit_note'
          ? stripeText.safeParse(object.invoice).data
          : undefined
    if (inserted.count && stripeInvoiceId) await enqueueJob(tx, 'billing.sync-invoice', { stripeInvoiceId })
    // A training checkout paid: the job reads the session back from Stripe before granting anything.
    if (
      inserted.count &&
      object.object === 'checkout.session' &&
      event.type === 'checkout.session.completed' &&
      object.id
    )
      await enqueueJob(tx, 'training.fulfil-checkout', { sessionId: object.id })
    // A training checkout ended unpaid: its promotion code's use is released (issue 30).
    if (
      inserted.count &&
      object.object === 'checkout.session' &&
      event.type === 'checkout.session.expired' &&
      object.id
    )
      await enqueueJob(tx, 'training.expire-checkout', { sessionId: object.id })
  })
  return { status: 200, message: 'Received.' }
}
