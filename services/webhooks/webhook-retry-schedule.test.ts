import { describe, expect, it } from 'vitest'
import { nextAttemptAt, RETRY_WINDOW_MS } from './webhook-retry-schedule.ts'

describe('the retry schedule of a failing endpoint', () => {
  it('waits longer after each failure, for three days from the event, then gives up', () => {
    const event = new Date('2027-03-01T10:00:00Z')
    // The oracle: what the docs promise, written out by hand (minutes after the event).
    const expected = [0, 5, 15, 35, 75, 155, 315, 635, 1275, 1995, 2715, 3435, 4155, 4320]
    const at: number[] = [0]
    let failedAt = event
    for (let attempt = 1; ; attempt++) {
      const next = nextAttemptAt(event, attempt, failedAt)
      if (!next) break
      at.push((next.getTime() - event.getTime()) / 60_000)
      failedAt = next
    }
    expect(at).toEqual(expected)
    expect(at.at(-1)! * 60_000).toBe(RETRY_WINDOW_MS)
  })

  it('counts the window from the event, so a slow attempt does not stretch it', () => {
    const event = new Date('2027-03-01T10:00:00Z')
    expect(nextAttemptAt(event, 3, new Date('2027-03-04T09:59:00Z'))).toEqual(new Date('2027-03-04T10:00:00Z'))
    expect(nextAttemptAt(event, 3, new Date('2027-03-04T10:00:00Z'))).toBeNull()
  })
})
