import type { Tx } from '../platform/db/client.ts'
import { AppError } from '../platform/errors/app-error.ts'

/** How long an unpaid checkout holds its promotion code's use; after that the use is free for others. */
export const RESERVATION_MINUTES = 60

const USED_UP = 'That promotion code is unknown, expired or used up.'

/** The price after a promotion, in minor units; the discount rounds down to a whole cent. */
export function discountedPrice(listMinor: bigint, percentOff: number) {
  const discountMinor = (listMinor * BigInt(percentOff)) / 100n
  return { amountMinor: listMinor - discountMinor, discountMinor }
}

/** Whether one more use fits: consumed uses plus the reservations still live, against the limit. */
export const promotionHasRoom = (p: { maxRedemptions: number; consumed: number; liveReservations: number }) =>
  p.consumed + p.liveReservations < p.maxRedemptions

/**
 * Checks a code under a lock on its row and counts what is taken (issue 30): consumed uses and the
 * reservations of checkouts still open. Two checkouts racing for the last use queue on the lock, and the
 * second sees the first's reservation. `except` leaves one order's own reservation out of the count.
 */
export async function lockPromotion(tx: Tx, code: string, at: Date, except?: string) {
  const [promo] = await tx.$queryRaw<
    { code: string; percentOff: number; maxRedemptions: number; redeemed: number; expiresAt: Date }[]
  >`
    SELECT "code", "percentOff", "maxRedemptions", "redeemed", "expiresAt"
    FROM "TrainingPromotionCode" WHERE "code" = ${code} FOR UPDATE`
  if (!promo) return null
  // Across organizations: raw SQL, since a tenant's client sees only its own learners' reservations.
  const [counted] = await tx.$queryRaw<{ live: number }[]>`
    SELECT count(*)::int AS live FROM "TrainingPromotionRedemption"
    WHERE "code" = ${code} AND "status" = 'reserved' AND "expiresAt" > ${at} AND "orderId" <> ${except ?? ''}`
  const liveReservations = counted!.live
  return {
    percentOff: promo.percentOff,
    usable: promo.expiresAt > at,
    hasRoom: promotionHasRoom({ maxRedemptions: promo.maxRedemptions, consumed: promo.redeemed, liveReservations }),
  }
}

/**
 * At checkout: the code's discount, if it is valid and has a use left; the caller reserves it with the
 * order. A learner holds one use of a code at a time (issue 30): their open checkouts' reservations of
 * it are released first, under the code's lock, so renewing an unpaid checkout never takes a second use;
 * the caller expires those checkouts (`replaced`, their Stripe sessions) so they can no longer be paid.
 */
export async function promotionForCheckout(
  tx: Tx,
  code: string,
  at: Date,
  userId: string,
): Promise<{ percentOff: number; replaced: string[] }> {
  await tx.$queryRaw`SELECT 1 FROM "TrainingPromotionCode" WHERE "code" = ${code} FOR UPDATE`
  // Across organizations, as lockPromotion counts: the learner's reservations wherever they bought.
  const replaced = await tx.$queryRaw<{ stripeSessionId: string | null }[]>`
    UPDATE "TrainingPromotionRedemption" r SET "status" = 'released', "decidedAt" = ${at}
    FROM "TrainingOrder" o
    WHERE r."orderId" = o."id" AND o."userId" = ${userId} AND o."status" = 'open'
      AND r."code" = ${code} AND r."status" = 'reserved'
    RETURNING o."stripeSessionId"`
  const promo = await lockPromotion(tx, code, at)
  if (!promo?.usable || !promo.hasRoom) throw new AppError('invalid_input', USED_UP, { promotionCode: [USED_UP] })
  return {
    percentOff: promo.percentOff,
    replaced: replaced.flatMap((r) => (r.stripeSessionId ? [r.stripeSessionId] : [])),
  }
}
