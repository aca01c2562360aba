import { env } from '../platform/config/env.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { consumeAttempt, forgetAttempts, minutesFrom, releaseAttempt } from '../platform/security/rate-limit.ts'

const emailKey = (email: string) => `signin:email:${email}`
const ipKey = (ip: string | undefined) => `signin:ip:${ip ?? 'unknown'}`

/**
 * Counts a sign-in attempt before the password is checked, per email and (wider, since people
 * share addresses) per client IP; refuses once either is over its limit for the window.
 */
export async function reserveSignInAttempt(email: string, ip: string | undefined): Promise<void> {
  const { SIGN_IN_MAX_ATTEMPTS: max, SIGN_IN_WINDOW_SECONDS: window } = env()
  const outcome = await consumeAttempt(
    [
      { key: emailKey(email), max },
      { key: ipKey(ip), max: max * 4 },
    ],
    window,
  )
  if (!outcome.allowed) {
    throw new AppError(
      'rate_limited',
      `Too many sign-in attempts. Try again in ${minutesFrom(outcome.retryAfterSeconds)}, or reset your password.`,
    )
  }
}

/** A correct password clears the email's count and gives the address its attempt back: only failures count. */
export async function signInSucceeded(email: string, ip: string | undefined): Promise<void> {
  await forgetAttempts(emailKey(email))
  await releaseAttempt(ipKey(ip))
}
