import { z } from 'zod'
import { appUrl } from '../platform/config/env.ts'
import { stripe } from '../billing/stripe-client.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { newId } from '../platform/db/ids.ts'
import { enqueueJob } from '../platform/jobs/enqueue-job.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { now } from '../platform/clock.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { discountedPrice, promotionForCheckout, RESERVATION_MINUTES } from './reserve-promotion.ts'
import { trainingProducts } from './training-product.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

export const startCheckoutSchema = z.object({
  product: z.enum(trainingProducts),
  slug: z.string().min(1).max(100),
  promotionCode: z
    .string()
    .trim()
    .max(40)
    .optional()
    .transform((c) => (c ? c.toUpperCase() : undefined)),
})

/**
 * Opens a Stripe Checkout Session for a course or an exam voucher. The price is the platform's (a
 * promotion code lowers it here, where the discount is explained on the order, and one use of the code is
 * reserved for the order until it is paid or its checkout lapses, replacing the learner's own earlier
 * reservation of the code); nothing is granted until Stripe's
 * signed webhook says the session is paid (fulfil-checkout.ts).
 */
export async function startCheckout(scope: TenantScope, input: z.input<typeof startCheckoutSchema>) {
  assertCan(scope, 'training.buy')
  const data = parseInput(startCheckoutSchema, input)
  const userId = scope.actor.userId
  const product =
    data.product === 'course'
      ? await unscopedDb('catalogue').course.findUnique({ where: { slug: data.slug } })
      : data.product === 'exam'
        ? await unscopedDb('catalogue').exam.findUnique({ where: { slug: data.slug } })
        : await unscopedDb('catalogue').trainingBundle.findUnique({ where: { slug: data.slug } })
  if (!product?.published) throw new AppError('not_found', `No such ${data.product}.`)
  const courseId =
    data.product === 'course'
      ? product.id
      : data.product === 'bundle' && 'courseId' in product
        ? product.courseId
        : null
  if (courseId && (await scope.db.enrolment.count({ where: { userId, courseId, revokedAt: null } })))
    throw new AppError(
      'conflict',
      data.product === 'bundle'
        ? 'You are enrolled in this course already: buy the exam voucher on its own.'
        : 'You are enrolled in this course already.',
    )
  const at = now()
  const orderId = newId()
  // The order and its promotion code's reservation commit together, under the code's lock (issue 30):
  // the use is held for this checkout, so the payment that follows finds it still there.
  const price = await scope.db.$transaction(async (tx) => {
    const promo = data.promotionCode ? await promotionForCheckout(tx, data.promotionCode, at, userId) : null
    // The learner's earlier checkouts with this code gave their use to this one: they end unpaid.
    for (const sessionId of promo?.replaced ?? []) await enqueueJob(tx, 'training.expire-checkout', { sessionId })
    const price = promo
      ? { ...discountedPrice(product.priceMinor, promo.percentOff), code: data.promotionCode! }
      : { amountMinor: product.priceMinor, discountMinor: 0n, code: null }
    await tx.trainingOrder.create({
      data: {
        id: orderId,
        organizationId: scope.organization.id,
        userId,
        product: data.product,
        productId: product.id,
        listPriceMinor: product.priceMinor,
        discountMinor: price.discountMinor,
        amountMinor: price.amountMinor,
        currency: product.currency,
        promotionCode: price.code,
        createdAt: at,
      },
    })
    if (price.code)
      await tx.trainingPromotionRedemption.create({
        data: {
          orderId,
          organizationId: scope.organization.id,
          code: price.code,
          expiresAt: new Date(at.getTime() + RESERVATION_MINUTES * 60_000),
        },
      })
    return price
  })
  const back = `${appUrl()}/learn/${scope.organization.slug}`
  const session = await stripe().checkout.sessions.create(
    {
      mode: 'payment',
      customer_email: scope.actor.email,
      client_reference_id: orderId,
      metadata: { order_id: orderId, organization: scope.organization.slug },
      line_items: [
        {
          quantity: 1,
          price_data: {
            currency: product.currency.toLowerCase(),
            unit_amount: Number(price.amountMinor),
            product_data: {
              name:
                product.title +
                (data.product === 'exam'
                  ? ' (exam voucher)'
                  : data.product === 'bundle'
                    ? ' (course and exam voucher)'
                    : '') +
                (price.code ? ` · code ${price.code}` : ''),
            },
          },
        },
      ],
      success_url: `${back}?paid={CHECKOUT_SESSION_ID}`,
      cancel_url:
        data.product === 'bundle'
          ? `${appUrl()}/learn`
          : `${appUrl()}/learn/${data.product === 'course' ? 'courses' : 'exams'}/${product.slug}`,
    },
    { idempotencyKey: `training-order:${orderId}` },
  )
  await scope.db.trainingOrder.update({ where: { id: orderId }, data: { stripeSessionId: session.id } })
  return { orderId, url: session.url! }
}
