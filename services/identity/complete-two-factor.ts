import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import { recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { newId } from '../platform/db/ids.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { metrics } from '../platform/observability/metrics.ts'
import { now, nowMs } from '../platform/clock.ts'
import {
  assertSecondFactorUnlocked,
  confirmWrongGuess,
  giveBackGuess,
  reserveSecondFactorGuess,
  rightGuess,
  secondFactorLockMessage,
} from './second-factor-lock.ts'
import { createSession } from './sessions.ts'
import { sha256 } from './tokens.ts'
import { CHALLENGE_MAX_ATTEMPTS } from './two-factor-challenge.ts'
import { otpauthUri, verifyTotp } from './totp.ts'
import { openTotpSecret, sealTotpSecret } from './totp-secret.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

export const secondFactorSchema = z.object({
  code: z.string().trim().max(40).default(''),
  recoveryCode: z.string().trim().max(40).default(''),
})

const RECOVERY_CODES = 10
const normalRecovery = (c: string) => c.toLowerCase().replace(/[^a-z0-9]/g, '')
const newRecoveryCode = () => {
  const s = randomBytes(8).toString('hex')
  return `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8, 12)}-${s.slice(12)}`
}

/** What the second-factor page shows for a challenge: who, and for an enrolment the secret to add. */
export async function describeChallenge(token: string | undefined) {
  if (!token) return null
  const c = await unscopedDb('sign-in').signInChallenge.findUnique({
    where: { id: sha256(token) },
    include: { user: true },
  })
  if (!c || c.expiresAt.getTime() <= nowMs()) return null
  const secret = c.pendingSecret ? openTotpSecret(c.pendingSecret) : null
  return {
    purpose: c.purpose === 'enrol' ? ('enrol' as const) : ('verify' as const),
    email: c.user.email,
    enrol: secret ? { secret: secret.match(/.{1,4}/g)!.join(' '), uri: otpauthUri(secret, c.user.email) } : null,
  }
}

/**
 * The second step of signing in. Verify: a code from the authenticator (each works once) or an unused
 * recovery code. Enrol: a code from the new secret proves it was added; the secret is kept and ten
 * recovery codes are shown once. Five wrong codes end the challenge; five in a row on the account,
 * across challenges, lock its second factor for a while (second-factor-lock.ts). Either way, a fresh session.
 */
export async function completeTwoFactor(
  token: string | undefined,
  input: z.input<typeof secondFactorSchema>,
  meta: { ip?: string; userAgent?: string; previousSessionToken?: string } = {},
) {
  const f = parseInput(secondFactorSchema, input)
  if (!f.code && !f.recoveryCode)
    throw new AppError('invalid_input', 'Enter the code.', {
      code: ['Enter the 6-digit code from your authenticator.'],
    })
  const c = token
    ? await unscopedDb('sign-in').signInChallenge.findUnique({ where: { id: sha256(token) }, include: { user: true } })
    : null
  if (!c || c.expiresAt.getTime() <= nowMs() || c.user.disabledAt)
    throw new AppError('unauthenticated', 'This sign-in has expired. Enter your password again.')
  // Counted on its own, before checking (a wrong code must not roll it back), and conditionally, so
  // parallel guesses share the five attempts.
  const counted = await unscopedDb('sign-in').signInChallenge.updateMany({
    where: { id: c.id, attempts: { lt: CHALLENGE_MAX_ATTEMPTS } },
    data: { attempts: { increment: 1 } },
  })
  if (counted.count === 0) {
    await unscopedDb('sign-in').signInChallenge.deleteMany({ where: { id: c.id } })
    throw new AppError('unauthenticated', 'Too many wrong codes. Enter your password again.')
  }
  // A locked second factor takes no code at all, not even a right one; nothing is counted meanwhile.
  // Otherwise the code is counted against the account before it is checked (second-factor-lock.ts).
  assertSecondFactorUnlocked(c.user)
  const reservation = c.purpose === 'verify' ? await reserveSecondFactorGuess(c.userId) : null
  let guessedWrong = false
  const wrongGuess = (message?: string) => {
    guessedWrong = true
    return wrongCode(message)
  }
  const verified = unscopedDb('sign-in').$transaction(async (tx) => {
    let recoveryCodes: string[] | null = null
    let how: string
    if (c.purpose === 'enrol') {
      const secret = openTotpSecret(c.pendingSecret!)
      const step = verifyTotp(secret, f.code, nowMs(), null)
      if (step === null) throw wrongCode()
      recoveryCodes = Array.from({ length: RECOVERY_CODES }, newRecoveryCode)
      await tx.user.update({
        where: { id: c.userId },
        data: { totpSecret: sealTotpSecret(secret), totpEnabledAt: now(), totpLastStep: BigInt(step) },
      })
      await tx.recoveryCode.deleteMany({ where: { userId: c.userId } })
      await tx.recoveryCode.createMany({
        data: recoveryCodes.map((code) => ({ id: newId(), userId: c.userId, codeHash: sha256(normalRecovery(code)) })),
      })
      how = 'enrolled'
    } else if (f.recoveryCode) {
      const used = await tx.recoveryCode.updateMany({
        where: { userId: c.userId, codeHash: sha256(normalRecovery(f.recoveryCode)), usedAt: null },
        data: { usedAt: now() },
      })
      if (used.count !== 1) throw wrongGuess('That recovery code is wrong or was used already.')
      how = 'recovery_code'
    } else {
      const last = c.user.totpLastStep === null ? null : Number(c.user.totpLastStep)
      const step = verifyTotp(openTotpSecret(c.user.totpSecret!), f.code, nowMs(), last)
      if (step === null) {
        const reused = last !== null && verifyTotp(openTotpSecret(c.user.totpSecret!), f.code, nowMs(), null) !== null
        // A code used before was right once: a double submit, not a guess.
        throw reused ? wrongCode('That code was used already; wait for the next one.') : wrongGuess()
      }
      // Conditional on the step read: two requests with the same code cannot both pass.
      const moved = await tx.user.updateMany({
        where: { id: c.userId, totpLastStep: c.user.totpLastStep },
        data: { totpLastStep: BigInt(step) },
      })
      if (moved.count !== 1) throw wrongCode('That code was used already; wait for the next one.')
      how = 'totp'
    }
    // A right code ends the run of wrong ones (and a lock its own count began).
    if (reservation) await rightGuess(tx, c.userId)
    const consumed = await tx.signInChallenge.deleteMany({ where: { id: c.id } })
    if (consumed.count !== 1) throw new AppError('unauthenticated', 'This sign-in was already completed.')
    if (meta.previousSessionToken) await tx.session.deleteMany({ where: { id: sha256(meta.previousSessionToken) } })
    const session = await createSession(tx, c.userId, meta)
    await recordAuditEvent(tx, {
      actor: { userId: c.userId, email: c.user.email },
      organizationId: null,
      action: how === 'enrolled' ? 'user.two_factor_enrolled' : 'user.sign_in',
      targetType: 'user',
      targetId: c.userId,
      changes: { secondFactor: how },
    })
    metrics().signIns.inc({ outcome: 'success' })
    return { token: session.token, expiresAt: session.expiresAt, userId: c.userId, recoveryCodes }
  })
  try {
    return await verified
  } catch (e) {
    if (!reservation) throw e
    // Not a guess (a code used before, a sign-in completed twice): what was counted goes back.
    if (!guessedWrong) {
      await giveBackGuess(reservation)
      throw e
    }
    const lockedUntil = await confirmWrongGuess(reservation)
    throw lockedUntil ? wrongCode(`That code is not right. ${secondFactorLockMessage(lockedUntil)}`) : e
  }
}

const wrongCode = (message = 'That code is not right. Check the time on your phone and try again.') =>
  new AppError('invalid_input', 'Check the code.', { code: [message] })
