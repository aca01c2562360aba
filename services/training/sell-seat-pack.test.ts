import { describe, expect, it } from 'vitest'
import { needsPriceApproval, SEAT_PRICE_FLOOR_MINOR, sellSeatPackSchema } from './sell-seat-pack.ts'

const pack = { courseSlug: 'c', examSlug: 'e', seats: 2 }

describe('a seat pack’s price (issue 30)', () => {
  it('is never free: $0.00 is invalid input with a message on the price', () => {
    const r = sellSeatPackSchema.safeParse({ ...pack, price: '0.00' })
    expect(r.success).toBe(false)
    expect(r.error?.issues.map((i) => [i.path[0], i.message])).toEqual([
      ['price', 'A seat pack is never free: enter the price agreed.'],
    ])
    expect(sellSeatPackSchema.parse({ ...pack, price: '0.01' }).price).toBe(1n)
  })

  it('under the floor for its seats needs finance’s approval; at the floor it does not', () => {
    expect(SEAT_PRICE_FLOOR_MINOR).toBe(25_000n)
    expect(needsPriceApproval(1n, 2)).toBe(true)
    expect(needsPriceApproval(49_999n, 2)).toBe(true)
    expect(needsPriceApproval(50_000n, 2)).toBe(false)
    expect(needsPriceApproval(2_000_000n, 100)).toBe(true) // $20,000 for 100 seats: $200 a seat
    expect(needsPriceApproval(5_000_000n, 10)).toBe(false)
  })
})
