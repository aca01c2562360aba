import { db } from '../db/client.ts'
import { AppError } from '../errors/app-error.ts'

/** The price after a promotion code, in minor units; the discount rounds down to a whole cent. */
export async function priceWithPromotion(listMinor: bigint, code: string | undefined, at: Date) {
  if (!code) return { amountMinor: listMinor, discountMinor: 0n, code: null }
  const promo = await db().trainingPromotionCode.findUnique({ where: { code } })
  if (!promo || promo.expiresAt <= at || promo.redeemed >= promo.maxRedemptions)
    throw new AppError('invalid_input', 'That promotion code is unknown, expired or used up.', {
      promotionCode: ['That promotion code is unknown, expired or used up.'],
    })
  const discountMinor = (listMinor * BigInt(promo.percentOff)) / 100n
  return { amountMinor: listMinor - discountMinor, discountMinor, code }
}
