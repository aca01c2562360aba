import Stripe from 'stripe'
import { singleton } from '../platform/singleton.ts'

// The official SDK; STRIPE_API_BASE points it at another server speaking Stripe's API (the local
// one in the demo and tests). Read at first use: the local server fills these in at boot.
export const isStripeConfigured = (): boolean => Boolean(process.env.STRIPE_SECRET_KEY)

export function stripe(): Stripe {
  const key = process.env.STRIPE_SECRET_KEY
  if (!key) throw new Error('Stripe is not configured: set STRIPE_SECRET_KEY (and STRIPE_WEBHOOK_SECRET).')
  const base = process.env.STRIPE_API_BASE ? new URL(process.env.STRIPE_API_BASE) : undefined
  return singleton(
    `stripe:${key}:${base?.href ?? 'stripe'}`,
    () =>
      new Stripe(key, {
        maxNetworkRetries: 2,
        ...(base && {
          host: base.hostname,
          port: Number(base.port || (base.protocol === 'https:' ? 443 : 80)),
          protocol: base.protocol.replace(':', '') as 'http' | 'https',
        }),
      }),
  )
}

export function stripeWebhookSecret(): string {
  const s = process.env.STRIPE_WEBHOOK_SECRET
  if (!s) throw new Error('Stripe webhooks are not configured: set STRIPE_WEBHOOK_SECRET.')
  return s
}
