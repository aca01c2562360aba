import { recordAuditEvent } from '../audit/record-audit-event.ts'
import { db } from '../db/client.ts'
import { AppError } from '../errors/app-error.ts'
import { enqueueJob } from '../jobs/enqueue-job.ts'
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

/**
 * Counts one wrong code against the account. Its own transaction, never the verifying one (which
 * rolls back): the increment's row lock orders parallel guesses, so each is counted, and the lock is
 * decided on the count it returned. From the fifth wrong code in a row, each one (re)starts the lock;
 * one that starts while none runs emails the person. Returns the lock's end, if it locked.
 */
export async function countSecondFactorFailure(userId: string): Promise<Date | null> {
  return db().$transaction(async (tx) => {
    const user = await tx.user.update({
      where: { id: userId },
      data: { secondFactorFailures: { increment: 1 } },
      select: { email: true, secondFactorFailures: true, secondFactorLockedUntil: true },
    })
    const lockMs = secondFactorLockMs(user.secondFactorFailures)
    if (lockMs === null) return null
    const until = new Date(nowMs() + lockMs)
    await tx.user.update({ where: { id: userId }, data: { secondFactorLockedUntil: until } })
    const starts = !user.secondFactorLockedUntil || user.secondFactorLockedUntil.getTime() <= nowMs()
    await recordAuditEvent(tx, {
      actor: null,
      organizationId: null,
      action: 'user.second_factor_locked',
      targetType: 'user',
      targetId: userId,
      changes: { failures: user.secondFactorFailures, lockedUntil: until.toISOString(), emailed: starts },
    })
    if (starts) await enqueueJob(tx, 'identity.send-second-factor-locked', { userId, lockedUntil: until.toISOString() })
    return until
  })
}
