import { z } from 'zod'
import { AppError } from '../platform/errors/app-error.ts'
import { enqueueJob } from '../platform/jobs/enqueue-job.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { consumeAttempt, minutesFrom } from '../platform/security/rate-limit.ts'

export const RESET_TTL_MS = 60 * 60 * 1000

export const requestResetSchema = z.object({
  email: z.email('Enter a valid email address.').transform((e) => e.toLowerCase()),
})

/**
 * Asks for a reset link. The request does the same work whatever the address (one outbox row), so
 * neither the answer nor its timing tells whether an account exists; the job looks the person up
 * (send-password-reset.ts). Throttled per address and per client IP.
 */
export async function requestPasswordReset(email: string, ip: string | undefined): Promise<void> {
  const address = email.toLowerCase()
  const outcome = await consumeAttempt(
    [
      { key: `reset:email:${address}`, max: 3 },
      { key: `reset:ip:${ip ?? 'unknown'}`, max: 20 },
    ],
    3600,
  )
  if (!outcome.allowed) {
    throw new AppError(
      'rate_limited',
      `Too many reset requests. Try again in ${minutesFrom(outcome.retryAfterSeconds)}; ` +
        'the last link we sent still works.',
    )
  }
  await unscopedDb('sign-in').$transaction((tx) => enqueueJob(tx, 'identity.send-password-reset', { email: address }))
}
