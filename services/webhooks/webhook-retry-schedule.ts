// When a failed delivery is tried again (issue 32): Stripe's promise, retries with exponential backoff
// for up to three days. Pure, so the schedule is tested without a receiver or a queue.

export const RETRY_WINDOW_MS = 3 * 24 * 3600_000
const FIRST_DELAY_MS = 5 * 60_000
const LONGEST_DELAY_MS = 12 * 3600_000

/** The wait after failed attempt `attempt` (1-based): 5 min, doubling, at most 12 h. */
export const retryDelayMs = (attempt: number): number =>
  Math.min(FIRST_DELAY_MS * 2 ** Math.min(attempt - 1, 20), LONGEST_DELAY_MS)

/**
 * When to try an event again after attempt `attempt` failed at `failedAt`, or null when its three days
 * (from the event) are over. The last retry lands on the window's end, so the window is used in full.
 */
export function nextAttemptAt(eventAt: Date, attempt: number, failedAt: Date): Date | null {
  const end = eventAt.getTime() + RETRY_WINDOW_MS
  if (failedAt.getTime() >= end) return null
  return new Date(Math.min(failedAt.getTime() + retryDelayMs(attempt), end))
}
