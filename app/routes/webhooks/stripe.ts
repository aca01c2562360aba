import type { Route } from './+types/stripe'
import { receiveStripeWebhook } from '#services/billing/stripe-webhooks.ts'

// Stripe posts events here; the SDK checks the Stripe-Signature over the raw body.
export async function action({ request }: Route.ActionArgs) {
  const outcome = await receiveStripeWebhook(
    Buffer.from(await request.arrayBuffer()),
    request.headers.get('Stripe-Signature'),
  )
  return Response.json({ message: outcome.message }, { status: outcome.status })
}

export function loader() {
  return new Response('Stripe webhook endpoint: POST only.', { status: 405, headers: { Allow: 'POST' } })
}
