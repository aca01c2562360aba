import { addMonths } from './exam-policy.ts'

const DAY = 86_400_000

export interface PastAttempt {
  number: number
  startedAt: Date
  submittedAt: Date | null
  passed: boolean | null
  /** Paid with a voucher (a free retake may follow it). */
  paid: boolean
  freeRetake: boolean
}

/** A stored attempt as the policy reads it: paid when a voucher paid for it. */
export const asPastAttempt = (a: {
  number: number
  startedAt: Date
  submittedAt: Date | null
  passed: boolean | null
  voucherId: string | null
  freeRetake: boolean
}): PastAttempt => ({
  number: a.number,
  startedAt: a.startedAt,
  submittedAt: a.submittedAt,
  passed: a.passed,
  paid: a.voucherId !== null,
  freeRetake: a.freeRetake,
})

export interface RetakePolicy {
  retakeWaitDays: readonly number[]
  yearlyCap: number
  validityMonths: number
}

export type Eligibility =
  { allowed: true; freeRetake: boolean } | { allowed: false; reason: string; nextAllowedAt: Date | null }

/** Recertification opens this long before a certificate expires. */
export const RECERTIFY_WINDOW_DAYS = 90
/** A failed paid attempt earns one free retake within this many days. */
export const FREE_RETAKE_DAYS = 365

const day = (d: Date) => d.toISOString().slice(0, 10)

/**
 * Whether a candidate may start an attempt now, by the exam's policy alone (paying is separate):
 * one active attempt; after a failure, waits that grow (14 days, then 60, then a year…); at most
 * yearlyCap attempts in any 365 days; after a pass, not until recertification opens.
 */
export function retakeEligibility(past: readonly PastAttempt[], policy: RetakePolicy, now: Date): Eligibility {
  const sorted = [...past].sort((a, b) => a.number - b.number)
  if (sorted.some((a) => a.submittedAt === null))
    return { allowed: false, reason: 'You have an attempt in progress: finish it first.', nextAllowedAt: null }
  const lastPass = [...sorted].reverse().find((a) => a.passed)
  if (lastPass) {
    const expires = addMonths(lastPass.submittedAt!, policy.validityMonths)
    const opens = new Date(expires.getTime() - RECERTIFY_WINDOW_DAYS * DAY)
    if (now < opens)
      return {
        allowed: false,
        reason: `You passed on ${day(lastPass.submittedAt!)}; recertification opens on ${day(opens)}.`,
        nextAllowedAt: opens,
      }
  }
  const failsSincePass = sorted.filter((a) => !a.passed && (!lastPass || a.number > lastPass.number))
  const last = sorted.at(-1)
  if (last && !last.passed && failsSincePass.length) {
    const waits = policy.retakeWaitDays
    const wait = waits.length ? waits[Math.min(failsSincePass.length, waits.length) - 1]! : 0
    const opens = new Date(last.submittedAt!.getTime() + wait * DAY)
    if (now < opens)
      return {
        allowed: false,
        reason:
          `After ${failsSincePass.length === 1 ? 'a failed attempt' : `${failsSincePass.length} failed attempts`} ` +
          `the policy asks you to wait ${wait} days: you can retake from ${day(opens)}.`,
        nextAllowedAt: opens,
      }
  }
  const inYear = sorted.filter((a) => a.startedAt.getTime() > now.getTime() - 365 * DAY)
  if (inYear.length >= policy.yearlyCap) {
    const opens = new Date(inYear[0]!.startedAt.getTime() + 365 * DAY)
    return {
      allowed: false,
      reason: `At most ${policy.yearlyCap} attempts in any 365 days: your next one is possible from ${day(opens)}.`,
      nextAllowedAt: opens,
    }
  }
  // The free retake follows a failed paid attempt, once, within a year of it.
  const freeRetake = Boolean(
    last && last.passed === false && last.paid && now.getTime() - last.submittedAt!.getTime() <= FREE_RETAKE_DAYS * DAY,
  )
  return { allowed: true, freeRetake }
}
