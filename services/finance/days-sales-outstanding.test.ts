import { describe, expect, it } from 'vitest'
import { daysSalesOutstanding } from './days-sales-outstanding.ts'

describe('days sales outstanding', () => {
  it('is the receivable as days of the last 90 days of billing, rounded half to even', () => {
    // $30,000 owed on $90,000 billed in 90 days: 30 days.
    expect(daysSalesOutstanding(3_000_000n, 9_000_000n)).toBe(30)
    // 100 × 90 / 360 = 25; 1 × 90 / 36 = 2.5 → 2; 1 × 90 / 20 = 4.5 → 4; 7 × 90 / 60 = 10.5 → 10.
    expect(daysSalesOutstanding(100n, 360n)).toBe(25)
    expect(daysSalesOutstanding(1n, 36n)).toBe(2)
    expect(daysSalesOutstanding(1n, 20n)).toBe(4)
    expect(daysSalesOutstanding(7n, 60n)).toBe(10)
    // Owing more than the window billed: older debts push it past 90.
    expect(daysSalesOutstanding(28_000_000n, 1_000_000n)).toBe(2520)
  })

  it('is undefined without billing in the window, and zero when nothing is owed', () => {
    expect(daysSalesOutstanding(5_000n, 0n)).toBeNull()
    expect(daysSalesOutstanding(5_000n, -10n)).toBeNull()
    expect(daysSalesOutstanding(0n, 5_000n)).toBe(0)
    expect(daysSalesOutstanding(-200n, 5_000n)).toBe(0)
  })
})
