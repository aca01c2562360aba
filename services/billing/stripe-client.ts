import Stripe from 'stripe'
import { env } from '../platform/config/env.ts'
import { shared, singleton } from '../platform/singleton.ts'

/** Stripe takes amounts of at most eight digits (99,999,999 minor units: $999,999.99). */
export const STRIPE_MAX_AMOUNT = 99_999_999n

export interface StripeSettings {
  secretKey: string
  webhookSecret: string
  /** Another server speaking Stripe's API (the local one in the demo and tests). */
  apiBase?: string
}

const local = shared<StripeSettings | undefined>('local-stripe', undefined)

/** Without Stripe keys configured, the local Stripe server registers itself here at boot. */
export function registerLocalStripe(settings: StripeSettings): void {
  local.value = settings
}

export const isStripeConfigured = (): boolean => Boolean(env().STRIPE_SECRET_KEY)
/** Configured, or the local server is running in this process. */
export const isStripeAvailable = (): boolean => isStripeConfigured() || Boolean(local.value)

function settings(): StripeSettings {
  const e = env()
  if (e.STRIPE_SECRET_KEY) {
    return { secretKey: e.STRIPE_SECRET_KEY, webhookSecret: e.STRIPE_WEBHOOK_SECRET!, apiBase: e.STRIPE_API_BASE }
  }
  if (local.value) return local.value
  throw new Error('Stripe is not configured: set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET.')
}

// The official SDK, pointed at STRIPE_API_BASE when set.
export function stripe(): Stripe {
  const { secretKey, apiBase } = settings()
  const base = apiBase ? new URL(apiBase) : undefined
  return singleton(
    `stripe:${secretKey}:${base?.href ?? 'stripe'}`,
    () =>
      new Stripe(secretKey, {
        maxNetworkRetries: 2,
        ...(base && {
          host: base.hostname,
          port: Number(base.port || (base.protocol === 'https:' ? 443 : 80)),
          protocol: base.protocol === 'https:' ? 'https' : 'http',
        }),
      }),
  )
}

/** Where people are sent to pay (hosted invoice and checkout pages), for the Content-Security-Policy. */
export function paymentPageOrigins(): string[] {
  const stripeHosted = ['https://checkout.stripe.com', 'https://invoice.stripe.com']
  if (!isStripeConfigured()) return local.value?.apiBase ? [new URL(local.value.apiBase).origin] : stripeHosted
  // Another server speaking Stripe's API (the demo's local Stripe, in a process of its own) hosts its pages too.
  const apiBase = env().STRIPE_API_BASE
  return apiBase ? [...stripeHosted, new URL(apiBase).origin] : stripeHosted
}

export function stripeWebhookSecret(): string {
  return settings().webhookSecret
}
