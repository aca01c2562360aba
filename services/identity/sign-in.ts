import { z } from 'zod'
import { recordAuditEvent } from '../audit/record-audit-event.ts'
import { db } from '../db/client.ts'
import { AppError } from '../errors/app-error.ts'
import { metrics } from '../observability/metrics.ts'
import { verifyPassword } from './password.ts'
import { createSession } from './sessions.ts'
import { reserveSignInAttempt, signInSucceeded } from './sign-in-rate-limit.ts'
import { sha256 } from './tokens.ts'

export const signInSchema = z.object({
  email: z.email('Enter the email address you were invited with.').transform((e) => e.toLowerCase()),
  password: z.string().min(1, 'Enter your password.'),
})

export interface SignInInput {
  email: string
  password: string
  previousSessionToken?: string
  ip?: string
  userAgent?: string
}

/** Verifies the password and starts a new session, ending the one the browser had before. */
export async function signIn(input: SignInInput): Promise<{ token: string; expiresAt: Date; userId: string }> {
  const email = input.email.toLowerCase()
  await reserveSignInAttempt(email, input.ip)
  const user = await db().user.findUnique({ where: { email } })
  const ok = await verifyPassword(user?.passwordHash ?? null, input.password)
  if (!user || !ok || user.disabledAt) {
    metrics().signIns.inc({ outcome: 'failure' })
    throw new AppError('unauthenticated', 'That email and password do not match an account.')
  }
  await signInSucceeded(email, input.ip)
  const session = await db().$transaction(async (tx) => {
    if (input.previousSessionToken) await tx.session.deleteMany({ where: { id: sha256(input.previousSessionToken) } })
    const s = await createSession(tx, user.id, input)
    await recordAuditEvent(tx, {
      actor: { userId: user.id, email: user.email },
      organizationId: null,
      action: 'user.sign_in',
      targetType: 'user',
      targetId: user.id,
    })
    return s
  })
  metrics().signIns.inc({ outcome: 'success' })
  return { token: session.token, expiresAt: session.expiresAt, userId: user.id }
}
