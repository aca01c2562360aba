import { describe, expect, it } from 'vitest'
import { discountedPrice, promotionHasRoom } from './reserve-promotion.ts'

describe('a promotion code’s limit (issue 30)', () => {
  it('counts consumed uses and live reservations together against the limit', () => {
    expect(promotionHasRoom({ maxRedemptions: 500, consumed: 499, liveReservations: 0 })).toBe(true)
    expect(promotionHasRoom({ maxRedemptions: 500, consumed: 499, liveReservations: 1 })).toBe(false)
    expect(promotionHasRoom({ maxRedemptions: 500, consumed: 500, liveReservations: 0 })).toBe(false)
    expect(promotionHasRoom({ maxRedemptions: 1, consumed: 0, liveReservations: 0 })).toBe(true)
  })

  it('rounds the discount down to a whole cent, so the learner never pays a fraction', () => {
    expect(discountedPrice(20_000n, 25)).toEqual({ amountMinor: 15_000n, discountMinor: 5_000n })
    // 33% of $9.99 is 329.67 cents: the discount is 329, the price 670.
    expect(discountedPrice(999n, 33)).toEqual({ amountMinor: 670n, discountMinor: 329n })
  })
})
