import type { Tx } from '../platform/db/client.ts'
import { nowMs } from '../platform/clock.ts'
import { newSecretToken } from './tokens.ts'
import { newTotpSecret } from './totp.ts'
import { sealTotpSecret } from './totp-secret.ts'

/** How long a correct password waits for its second factor. */
export const CHALLENGE_TTL_MS = 10 * 60 * 1000
/** Wrong codes a challenge takes before the password must be typed again. */
export const CHALLENGE_MAX_ATTEMPTS = 5

/**
 * After a correct password, instead of a session: a challenge to verify the user's authenticator,
 * or, for someone who must have one and has none yet, to enrol a new secret. Only its hash is kept.
 */
export async function openChallenge(tx: Tx, userId: string, enrolled: boolean): Promise<string> {
  const { token, tokenHash } = newSecretToken()
  await tx.signInChallenge.deleteMany({ where: { userId } })
  await tx.signInChallenge.create({
    data: {
      id: tokenHash,
      userId,
      purpose: enrolled ? 'verify' : 'enrol',
      pendingSecret: enrolled ? null : sealTotpSecret(newTotpSecret()),
      expiresAt: new Date(nowMs() + CHALLENGE_TTL_MS),
    },
  })
  return token
}
