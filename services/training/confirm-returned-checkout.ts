import { logger } from '../platform/observability/logger.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { fulfilCheckout } from './fulfil-checkout.ts'

/**
 * A learner back from Stripe's checkout (?paid=<session>): the session is read back from Stripe and,
 * when paid, fulfilled now, so the page they land on already shows the voucher instead of "buy one"
 * until a reload (issue 29). Fulfilment is idempotent (the order's move from open to paid is its one
 * gate), so the webhook's job arriving too grants nothing twice. Only the viewer's own open order is
 * looked at; an unknown or foreign session id is ignored. A Stripe failure is left to the webhook.
 */
export async function confirmReturnedCheckout(
  scope: TenantScope,
  sessionId: string,
): Promise<'granted' | 'pending' | 'ignored'> {
  assertCan(scope, 'training.learn')
  if (sessionId.length > 255) return 'ignored'
  const order = await scope.db.trainingOrder.findFirst({
    where: { stripeSessionId: sessionId, userId: scope.actor.userId },
    select: { status: true },
  })
  if (!order) return 'ignored'
  if (order.status === 'paid') return 'granted'
  if (order.status !== 'open') return 'ignored'
  try {
    await fulfilCheckout(sessionId)
  } catch (err) {
    logger().warn({ err, sessionId }, 'returned checkout not confirmed; the webhook will')
    return 'pending'
  }
  const after = await scope.db.trainingOrder.findFirst({
    where: { stripeSessionId: sessionId },
    select: { status: true },
  })
  return after?.status === 'paid' ? 'granted' : 'pending'
}
