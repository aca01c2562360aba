import { db } from '../../services/platform/db/client.ts'
import { hotp, newTotpSecret, stepAt } from '../../services/identity/totp.ts'
import { openTotpSecret, sealTotpSecret } from '../../services/identity/totp-secret.ts'
import { now, nowMs } from '../../services/platform/clock.ts'

/** Enrols a user's authenticator, as if they had done it at their first sign-in; returns the secret. */
export async function enrolTotp(userId: string, secret = newTotpSecret()): Promise<string> {
  await db().user.update({ where: { id: userId }, data: { totpSecret: sealTotpSecret(secret), totpEnabledAt: now() } })
  return secret
}

/**
 * The code the user's authenticator would show that the platform has not accepted yet: this step's,
 * or the next one's when this step's was used (a code works once; one step ahead is accepted).
 */
export async function nextCodeFor(email: string): Promise<string> {
  const u = await db().user.findUniqueOrThrow({ where: { email }, select: { totpSecret: true, totpLastStep: true } })
  if (!u.totpSecret) throw new Error(`${email} has no authenticator`)
  for (;;) {
    const current = stepAt(nowMs())
    const step = Math.max(current, Number(u.totpLastStep ?? -1n) + 1)
    if (step <= current + 1) return hotp(openTotpSecret(u.totpSecret), step)
    await new Promise((r) => setTimeout(r, 1000))
  }
}
