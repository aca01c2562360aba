import { describe, expect, it } from 'vitest'
import { bodyTooSlow, bodyTooSlowMessage } from './body-pace.ts'

describe('how slowly a request body may arrive (issue 24)', () => {
  const pace = { idleMs: 15_000, minBytesPerSecond: 1000, graceMs: 10_000 }

  it('stops waiting on a body that sends nothing for the idle deadline', () => {
    expect(bodyTooSlow({ bytes: 5_000_000, waitedMs: 60_000, idleMs: 14_999 }, pace)).toBeNull()
    expect(bodyTooSlow({ bytes: 5_000_000, waitedMs: 60_000, idleMs: 15_000 }, pace)).toBe('idle')
  })

  it('stops a trickle that never goes idle once its average falls under the floor after the grace period', () => {
    // A byte a second: never idle, and one thousandth of the floor.
    expect(bodyTooSlow({ bytes: 9, waitedMs: 9_999, idleMs: 1000 }, pace)).toBeNull()
    expect(bodyTooSlow({ bytes: 10, waitedMs: 10_000, idleMs: 1000 }, pace)).toBe('slow')
    // Exactly at the floor is fast enough; a modest honest link (1 Mbit/s) is far above it.
    expect(bodyTooSlow({ bytes: 10_000, waitedMs: 10_000, idleMs: 0 }, pace)).toBeNull()
    expect(bodyTooSlow({ bytes: 125_000 * 600, waitedMs: 600_000, idleMs: 200 }, pace)).toBeNull()
  })

  it('has no floor at 0, only the idle deadline', () => {
    const noFloor = { ...pace, minBytesPerSecond: 0 }
    expect(bodyTooSlow({ bytes: 1, waitedMs: 3_600_000, idleMs: 14_000 }, noFloor)).toBeNull()
    expect(bodyTooSlow({ bytes: 1, waitedMs: 3_600_000, idleMs: 15_000 }, noFloor)).toBe('idle')
  })

  it('tells the person what happened, that nothing was stored, and what to do', () => {
    expect(bodyTooSlowMessage('idle', { bytes: 0, waitedMs: 15_000, idleMs: 15_000 }, pace)).toMatch(
      /^No part of the request body arrived for 15 s, so the server stopped waiting and nothing was stored\. Send/,
    )
    expect(bodyTooSlowMessage('slow', { bytes: 200, waitedMs: 10_000, idleMs: 500 }, pace)).toMatch(
      /^The request body arrived at 20 bytes per second over 10 s, below the 1000 bytes per second .*nothing/,
    )
  })
})
