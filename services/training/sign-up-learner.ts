import { z } from 'zod'
import { appUrl, env } from '../platform/config/env.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { newId } from '../platform/db/ids.ts'
import { renderEmail } from '../platform/email/render-email.ts'
import { sendEmail } from '../platform/email/send-email.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { hashPassword, passwordSchema } from '../identity/password.ts'
import { newSecretToken } from '../identity/tokens.ts'
import { now } from '../platform/clock.ts'
import { consumeAttempt, minutesFrom } from '../platform/security/rate-limit.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

export const SIGNUP_TTL_MS = 24 * 3600 * 1000

export const signUpSchema = z.object({
  name: z.string().trim().min(1, 'Enter your name.').max(120, 'Use at most 120 characters.'),
  email: z
    .email('Enter a valid email address.')
    .max(254)
    .transform((e) => e.toLowerCase()),
  password: passwordSchema,
})

/**
 * Self-service sign-up, for learners only (the rest of the platform stays invitation-only): the
 * account exists once the emailed link is opened. The answer is the same whether or not the address
 * already has an account, so sign-up does not reveal who is registered; an existing account is told
 * by mail to sign in instead.
 */
export async function signUpLearner(
  input: z.input<typeof signUpSchema>,
  ip: string | undefined,
): Promise<{ demoLink: string | null }> {
  const data = parseInput(signUpSchema, input)
  const limit = await consumeAttempt(
    [
      { key: `signup:email:${data.email}`, max: 3 },
      { key: `signup:ip:${ip ?? 'unknown'}`, max: 20 },
    ],
    3600,
  )
  if (!limit.allowed)
    throw new AppError('rate_limited', `Too many sign-ups. Try again in ${minutesFrom(limit.retryAfterSeconds)}.`)
  const existing = await unscopedDb('sign-in').user.findUnique({ where: { email: data.email }, select: { id: true } })
  const id = newId()
  if (existing) {
    await sendEmail({
      idempotencyKey: `signup-existing:${id}`,
      to: data.email,
      ...renderEmail(
        'You already have a GGML account',
        [
          'Someone (probably you) tried to sign up with this address, which already has an account.',
          'Sign in instead, or reset your password if you forgot it.',
        ],
        { label: 'Sign in', url: `${appUrl()}/login` },
      ),
    })
    return { demoLink: null }
  }
  const { token, tokenHash } = newSecretToken()
  await unscopedDb('sign-in').learnerSignup.create({
    data: {
      id,
      email: data.email,
      name: data.name,
      passwordHash: await hashPassword(data.password),
      tokenHash,
      expiresAt: new Date(now().getTime() + SIGNUP_TTL_MS),
    },
  })
  const link = `${appUrl()}/signup/verify/${token}`
  await sendEmail({
    idempotencyKey: `signup:${id}`,
    secretLinks: true,
    to: data.email,
    ...renderEmail(
      'Confirm your email for GGML training',
      // No greeting by name: anyone may type any address and any name here, and ggml's branded mail must not carry
      // their words ("Hello Your invoice is overdue, pay at …") to someone who never asked for it.
      ['Hello,', 'Confirm this address to create your training account. The link works for 24 hours.'],
      { label: 'Confirm my email', url: link },
    ),
  })
  // The demo has no real mailbox: it shows the link on the page (DEMO=true only, never in a deployment).
  return { demoLink: env().DEMO ? link : null }
}
