import { stripe } from '../billing/stripe-client.ts'
import { db } from '../db/client.ts'
import type { JobHandler } from '../jobs/define-job.ts'
import { logger } from '../observability/logger.ts'
import { now } from '../platform/clock.ts'
import { fulfilCheckout } from './fulfil-checkout.ts'

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
  const order = await db().trainingOrder.findUnique({ where: { stripeSessionId: sessionId } })
  if (!order) return 'unknown'
  await db().$transaction(async (tx) => {
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
 */
export async function releaseLapsedCheckouts(limit = 200): Promise<number> {
  const lapsed = await db().trainingPromotionRedemption.findMany({
    where: { status: 'reserved', expiresAt: { lte: now() }, order: { status: 'open' } },
    select: { orderId: true, order: { select: { stripeSessionId: true } } },
    orderBy: { expiresAt: 'asc' },
    take: limit,
  })
  for (const r of lapsed) {
    if (r.order.stripeSessionId) await expireCheckout(r.order.stripeSessionId)
    else
      await db().$transaction([
        db().trainingOrder.updateMany({ where: { id: r.orderId, status: 'open' }, data: { status: 'expired' } }),
        db().trainingPromotionRedemption.updateMany({
          where: { orderId: r.orderId, status: 'reserved' },
          data: { status: 'released', decidedAt: now() },
        }),
      ])
  }
  return lapsed.length
}

export const handleExpireCheckout: JobHandler<'training.expire-checkout'> = async ({ sessionId }) => {
  await expireCheckout(sessionId)
}

export const handleReleaseLapsedCheckouts: JobHandler<'training.release-lapsed-checkouts'> = async () => {
  await releaseLapsedCheckouts()
}
