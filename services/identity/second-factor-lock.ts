import { recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import type { Tx } from '../platform/db/client.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { enqueueJob } from '../platform/jobs/enqueue-job.ts'
import { nowMs } from '../platform/clock.ts'

/** Wrong codes in a row, across challenges, after which the account's second factor locks (issue 25). */
export const SECOND_FACTOR_MAX_FAILURES = 5
const FIRST_LOCK_MS = 5 * 60 * 1000
const LONGEST_LOCK_MS = 24 * 60 * 60 * 1000

/**
 * How long the account's second factor is locked after this many wrong codes in a row: none below
 * five, then 5 minutes, doubling with each further wrong code, at most a day. A per-challenge limit
 * alone let anyone with the password open challenge after challenge and keep guessing.
 */
export function secondFactorLockMs(failures: number): number | null {
  if (failures < SECOND_FACTOR_MAX_FAILURES) return null
  // 5 min × 2^9 is past a day already; the bound keeps 2^n finite for any count.
  const doublings = Math.min(failures - SECOND_FACTOR_MAX_FAILURES, 16)
  return Math.min(FIRST_LOCK_MS * 2 ** doublings, LONGEST_LOCK_MS)
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
]

/** A lock's end in words, rounded up to the minute so "try again then" works: "12:36 UTC on 7 December 2026". */
export function lockEndInWords(at: Date): string {
  const t = new Date(Math.ceil(at.getTime() / 60_000) * 60_000)
  const hhmm = t.toISOString().slice(11, 16)
  return `${hhmm} UTC on ${t.getUTCDate()} ${MONTHS[t.getUTCMonth()]} ${t.getUTCFullYear()}`
}

/** Refuses, saying until when, while the account's second factor is locked: no code, right or wrong. */
export function assertSecondFactorUnlocked(user: { secondFactorLockedUntil: Date | null }): void {
  const until = user.secondFactorLockedUntil
  if (until && until.getTime() > nowMs()) throw secondFactorLocked(until)
}

/** What the person reads while locked: why, until when, and the way out. */
export const secondFactorLockMessage = (until: Date | null) =>
  'Too many wrong sign-in codes were entered for this account. ' +
  (until ? `Its second factor is locked until ${lockEndInWords(until)}; try again then, ` : 'Try again later, ') +
  'or ask an administrator to reset your second factor.'

export const secondFactorLocked = (until: Date | null) => new AppError('rate_limited', secondFactorLockMessage(until))

/** What reserving one guess did to the account: to confirm as wrong, or give back, afterwards. */
export interface GuessReservation {
  userId: string
  failures: number
  /** The lock this guess started (it was the fifth in a row, or the first after a lock ran out). */
  lockedUntil: Date | null
  previousLockedUntil: Date | null
}

/**
 * Every code is counted against the account before it is checked, under the account's row lock, so
 * guesses sent in parallel are counted one after the other: the fifth in a row locks the second factor
 * at once and every guess after it is refused, right or wrong, until the lock ends. (Counting after
 * the check let a burst of parallel guesses all pass the lock check first: 10 to 21 were checked.)
 */
export async function reserveSecondFactorGuess(userId: string): Promise<GuessReservation> {
  return unscopedDb('sign-in').$transaction(async (tx) => {
    const [user] = await tx.$queryRaw<{ failures: number; lockedUntil: Date | null }[]>`
      SELECT "secondFactorFailures" AS failures, "secondFactorLockedUntil" AS "lockedUntil"
      FROM "User" WHERE "id" = ${userId} FOR UPDATE`
    if (!user) throw new AppError('unauthenticated', 'This sign-in has expired. Enter your password again.')
    assertSecondFactorUnlocked({ secondFactorLockedUntil: user.lockedUntil })
    const failures = user.failures + 1
    const lockMs = secondFactorLockMs(failures)
    const lockedUntil = lockMs === null ? null : new Date(nowMs() + lockMs)
    await tx.user.update({
      where: { id: userId },
      data: { secondFactorFailures: failures, ...(lockedUntil && { secondFactorLockedUntil: lockedUntil }) },
    })
    return { userId, failures, lockedUntil, previousLockedUntil: user.lockedUntil }
  })
}

/** The guess was right: the run of wrong ones ends, and so does a lock it started. */
export const rightGuess = (tx: Tx, userId: string) =>
  tx.user.update({ where: { id: userId }, data: { secondFactorFailures: 0, secondFactorLockedUntil: null } })

/** Not a guess after all (a code used before, a double submit): the count and any lock it began go back. */
export async function giveBackGuess(r: GuessReservation): Promise<void> {
  await unscopedDb('sign-in').user.updateMany({
    where: { id: r.userId, secondFactorFailures: { gt: 0 } },
    data: {
      secondFactorFailures: { decrement: 1 },
      ...(r.lockedUntil && { secondFactorLockedUntil: r.previousLockedUntil }),
    },
  })
}

/**
 * A reserved guess was wrong: when it started a lock, the log records it and, when no lock ran before,
 * the person is emailed. Returns the lock's end, if this guess locked the account.
 */
export async function confirmWrongGuess(r: GuessReservation): Promise<Date | null> {
  if (!r.lockedUntil) return null
  const starts = !r.previousLockedUntil || r.previousLockedUntil.getTime() <= nowMs()
  await unscopedDb('sign-in').$transaction(async (tx) => {
    await recordAuditEvent(tx, {
      actor: null,
      organizationId: null,
      action: 'user.second_factor_locked',
      targetType: 'user',
      targetId: r.userId,
      changes: { failures: r.failures, lockedUntil: r.lockedUntil!.toISOString(), emailed: starts },
    })
    if (starts)
      await enqueueJob(tx, 'identity.send-second-factor-locked', {
        userId: r.userId,
        lockedUntil: r.lockedUntil!.toISOString(),
      })
  })
  return r.lockedUntil
}
