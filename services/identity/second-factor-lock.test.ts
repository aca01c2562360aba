import { describe, expect, it } from 'vitest'
import { travelTo } from '../platform/clock.ts'
import { assertSecondFactorUnlocked, lockEndInWords, secondFactorLockMs } from './second-factor-lock.ts'

const MIN = 60 * 1000

describe('the second-factor lock', () => {
  it('locks from the fifth wrong code in a row: 5 minutes, doubling, at most a day', () => {
    expect([0, 1, 4].map(secondFactorLockMs)).toEqual([null, null, null])
    expect(secondFactorLockMs(5)).toBe(5 * MIN)
    expect(secondFactorLockMs(6)).toBe(10 * MIN)
    expect(secondFactorLockMs(9)).toBe(80 * MIN)
    expect(secondFactorLockMs(13)).toBe(1280 * MIN)
    expect(secondFactorLockMs(14)).toBe(24 * 60 * MIN)
    expect(secondFactorLockMs(10_000)).toBe(24 * 60 * MIN)
  })

  it('says until when in words, rounded up to the minute', () => {
    expect(lockEndInWords(new Date('2026-12-07T12:35:00Z'))).toBe('12:35 UTC on 7 December 2026')
    expect(lockEndInWords(new Date('2026-12-31T23:59:01Z'))).toBe('00:00 UTC on 1 January 2027')
  })

  it('refuses while the lock runs and lets through once it has passed', () => {
    const clock = travelTo('2026-12-07T12:00:00Z')
    const locked = { secondFactorLockedUntil: new Date('2026-12-07T12:05:00Z') }
    expect(() => assertSecondFactorUnlocked(locked)).toThrow('locked until 12:05 UTC on 7 December 2026')
    clock.advance(5 * MIN)
    expect(() => assertSecondFactorUnlocked(locked)).not.toThrow()
    expect(() => assertSecondFactorUnlocked({ secondFactorLockedUntil: null })).not.toThrow()
  })
})
