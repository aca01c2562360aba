import { stripe } from '../billing/stripe-client.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import type { JobHandler } from '../platform/jobs/define-job.ts'
import { logger } from '../platform/observability/logger.ts'
import { now } from '../platform/clock.ts'
import { fulfilCheckout } from './fulfil-checkout.ts'
import { finishRefund } from './refund-unfulfilled-order.ts'

/**
 * An unpaid checkout ends: the order is expired and its promotion code's reservation released, so the
 * use is free for another learner (issue 30). Stripe is asked first and has the last word: an open
 * session is expired there (it can no longer be paid), and one that was paid meanwhile is fulfilled instead.
 */
export async function expireCheckout(sessionId: string): Promise<'expired' | 'paid' | 'unknown'> {
  let session = await stripe().checkout.sessions.retrieve(sessionId)
  if (session.status === 'open') {
    try {
      session = await stripe().checkout.sessions.expire(sessionId)
    } catch (err) {
      // Paid a moment ago, or expired by Stripe itself: read it back and follow what it says.
      logger().info({ err, sessionId }, 'checkout session could not be expired; reading it back')
      session = await stripe().checkout.sessions.retrieve(sessionId)
    }
  }
  if (session.payment_status === 'paid') {
    await fulfilCheckout(sessionId)
    return 'paid'
  }
  if (session.status !== 'expired') return 'unknown'
  const order = await unscopedDb('provider callback').trainingOrder.findUnique({
    where: { stripeSessionId: sessionId },
  })
  if (!order) return 'unknown'
  await unscopedDb('provider callback').$transaction(async (tx) => {
    const at = now()
    await tx.trainingOrder.updateMany({ where: { id: order.id, status: 'open' }, data: { status: 'expired' } })
    await tx.trainingPromotionRedemption.updateMany({
      where: { orderId: order.id, status: 'reserved' },
      data: { status: 'released', decidedAt: at },
    })
  })
  return 'expired'
}

/**
 * The sweep: checkouts whose reservation has lapsed are expired at Stripe and released here. A lapsed
 * reservation already stops counting against the code's limit; this makes the checkout unpayable too.
 * An order whose session was never created (Stripe failed at checkout) just lets its reservation go.
 * Each checkout on its own: one that fails is logged and tried again at the next sweep.
 */
export async function releaseLapsedCheckouts(limit = 200): Promise<number> {
  const lapsed = await unscopedDb('platform job').trainingPromotionRedemption.findMany({
    where: { status: 'reserved', expiresAt: { lte: now() }, order: { status: 'open' } },
    select: { orderId: true, order: { select: { stripeSessionId: true } } },
    orderBy: { expiresAt: 'asc' },
    take: limit,
  })
  for (const r of lapsed) {
    try {
      if (r.order.stripeSessionId) await expireCheckout(r.order.stripeSessionId)
      else
        await unscopedDb('platform job').$transaction([
          unscopedDb('platform job').trainingOrder.updateMany({
            where: { id: r.orderId, status: 'open' },
            data: { status: 'expired' },
          }),
          unscopedDb('platform job').trainingPromotionRedemption.updateMany({
            where: { orderId: r.orderId, status: 'reserved' },
            data: { status: 'released', decidedAt: now() },
          }),
        ])
    } catch (err) {
      logger().error({ err, orderId: r.orderId }, 'lapsed checkout not released; the next sweep tries again')
    }
  }
  return lapsed.length
}

/**
 * How long a checkout is left to Stripe's webhook and its job (five attempts within a minute) before
 * the sweep reconciles it with Stripe.
 */
export const RECONCILE_AFTER_MINUTES = 10

/**
 * Money taken is either fulfilled or returned, even when the webhook's job gave up (Stripe or the
 * database down for all its attempts, issue 30): every order still open past RECONCILE_AFTER_MINUTES
 * is read back from Stripe, and a paid one fulfilled, or refunded when it cannot be (this is its last
 * attempt); one Stripe expired is released. A refunding order whose refund did not finish is finished.
 * Each order on its own: one that fails is logged and tried again at the next sweep.
 */
export async function reconcileCheckouts(limit = 500) {
  const before = new Date(now().getTime() - RECONCILE_AFTER_MINUTES * 60_000)
  const orders = await unscopedDb('platform job').trainingOrder.findMany({
    where: {
      OR: [{ status: 'refunding' }, { status: 'open', stripeSessionId: { not: null }, createdAt: { lte: before } }],
    },
    select: { id: true, status: true, stripeSessionId: true, createdAt: true },
    orderBy: { createdAt: 'asc' },
    take: limit,
  })
  const outcomes: Record<string, string> = {}
  for (const order of orders) {
    try {
      outcomes[order.id] =
        order.status === 'refunding'
          ? await finishRefund(order.id)
          : await reconcileCheckout(order.stripeSessionId!, order.createdAt)
    } catch (err) {
      outcomes[order.id] = 'failed'
      logger().error({ err, orderId: order.id }, 'checkout not reconciled with Stripe; the next sweep tries again')
    }
  }
  return outcomes
}

/**
 * A checkout nobody paid within this many hours is abandoned: the sweep expires it at Stripe (Stripe's
 * own default), so an order never sits "awaiting payment" forever, even where Stripe's expiry event is
 * lost or never sent (issue 29).
 */
export const ABANDONED_AFTER_HOURS = 24

/** Whether an open order is past the time anyone could still pay it. */
export const isAbandoned = (createdAt: Date, at: Date): boolean =>
  at.getTime() - createdAt.getTime() >= ABANDONED_AFTER_HOURS * 3_600_000

async function reconcileCheckout(sessionId: string, createdAt: Date) {
  const session = await stripe().checkout.sessions.retrieve(sessionId)
  if (session.payment_status === 'paid') return fulfilCheckout(sessionId, { lastAttempt: true })
  if (session.status === 'expired' || isAbandoned(createdAt, now())) return expireCheckout(sessionId)
  return 'open'
}

export const handleExpireCheckout: JobHandler<'training.expire-checkout'> = async ({ sessionId }) => {
  await expireCheckout(sessionId)
}

export const handleReleaseLapsedCheckouts: JobHandler<'training.release-lapsed-checkouts'> = async () => {
  await releaseLapsedCheckouts()
  await reconcileCheckouts()
}
