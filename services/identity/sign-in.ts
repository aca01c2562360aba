import { z } from 'zod'
import { recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { metrics } from '../platform/observability/metrics.ts'
import { verifyPassword } from './password.ts'
import { assertSecondFactorUnlocked } from './second-factor-lock.ts'
import { createSession } from './sessions.ts'
import { reserveSignInAttempt, signInSucceeded } from './sign-in-rate-limit.ts'
import { sha256 } from './tokens.ts'
import { openChallenge } from './two-factor-challenge.ts'
import { companySignInFor, ssoRequiredFor } from './sso-policy.ts'
import { twoFactorRequired } from './two-factor-policy.ts'
import { organizationOwnsIdentity } from './identity-owner.ts'

const emailField = z.email('Enter the email address you were invited with.').transform((e) => e.toLowerCase())

/** The first step of sign-in: the email alone, which decides between single sign-on and a password (issue 28). */
export const signInStepSchema = z.object({ email: emailField })

export const signInSchema = z.object({
  email: emailField,
  password: z.string().min(1, 'Enter your password.'),
})

export interface SignInInput {
  email: string
  password: string
  previousSessionToken?: string
  ip?: string
  userAgent?: string
}

export type SignInResult =
  | { kind: 'session'; token: string; expiresAt: Date; userId: string }
  | { kind: 'two_factor'; challengeToken: string; userId: string }

/**
 * Verifies the password and starts a new session, ending the one the browser had before; or, for
 * someone with an authenticator (or who must have one), opens the second-factor challenge instead.
 */
export async function signIn(input: SignInInput): Promise<SignInResult> {
  const email = input.email.toLowerCase()
  await reserveSignInAttempt(email, input.ip)
  // A verified domain that requires single sign-on takes no password, right or wrong.
  const sso = await ssoRequiredFor(email)
  // The domain's organization decides how the people it owns sign in; someone who also belongs to another
  // organization keeps their password (and second factor): that organization's IdP cannot sign them in.
  const account = sso
    ? await unscopedDb('sign-in').user.findUnique({ where: { email }, select: { id: true, email: true } })
    : null
  if (sso && (!account || (await organizationOwnsIdentity(sso.organizationId, account))))
    throw new AppError(
      'forbidden',
      `${email.split('@')[1]} signs in with single sign-on (${sso.organizationSlug}): enter your email ` +
        `alone and choose Continue to reach your identity provider.`,
    )
  const user = await unscopedDb('sign-in').user.findUnique({ where: { email } })
  const ok = await verifyPassword(user?.passwordHash ?? null, input.password)
  if (!user || !ok || user.disabledAt) {
    metrics().signIns.inc({ outcome: 'failure' })
    // Someone whose company signs in by SSO (optional there) often has no password here: point her to
    // company sign-in. Said for the domain whether or not an account exists, so it reveals none.
    const company = await companySignInFor(email)
    if (company)
      throw new AppError(
        'unauthenticated',
        `That email and password do not match. ${email.split('@')[1]} has company sign-in ` +
          `(${company.organizationSlug}): enter your email alone and choose Continue to reach your identity provider.`,
      )
    throw new AppError('unauthenticated', 'That email and password do not match an account.')
  }
  await signInSucceeded(email, input.ip)
  if (user.totpEnabledAt || (await twoFactorRequired(unscopedDb('sign-in'), user.id))) {
    // Wrong codes locked the second factor: no new challenge to guess at (said only after the right password).
    assertSecondFactorUnlocked(user)
    const challengeToken = await unscopedDb('sign-in').$transaction((tx) =>
      openChallenge(tx, user.id, Boolean(user.totpEnabledAt)),
    )
    return { kind: 'two_factor', challengeToken, userId: user.id }
  }
  const session = await unscopedDb('sign-in').$transaction(async (tx) => {
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
  return { kind: 'session', token: session.token, expiresAt: session.expiresAt, userId: user.id }
}
