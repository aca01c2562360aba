/**
 * Thrown by a job whose input is another job's effect that is not there yet (a credit note for an
 * invoice still being issued): the worker puts it back, delayed, without spending one of its attempts
 * or holding a worker slot while it waits, and fails it only after WAIT_GIVE_UP_MS (issue 24: jobs
 * that failed for good while their dependency was re-queued held every slot as they retried).
 */
export class WaitingFor extends Error {
  override name = 'WaitingFor'
}

export const WAIT_FIRST_MS = 2_000
export const WAIT_LONGEST_MS = 5 * 60_000
export const WAIT_GIVE_UP_MS = 24 * 60 * 60_000

/** How long a job waiting since `since` waits next: half its age, between the bounds (so 2 s, 2 s, 4 s, … 5 min). */
export const nextWait = (waitedMs: number): number =>
  Math.min(WAIT_LONGEST_MS, Math.max(WAIT_FIRST_MS, Math.round(waitedMs / 2)))
