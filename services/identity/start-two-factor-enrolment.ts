import { unscopedDb } from '../platform/db/unscoped.ts'
import { AppError } from '../platform/errors/app-error.ts'
import type { Actor } from './actor.ts'
import { openChallenge } from './two-factor-challenge.ts'

/**
 * Anyone may turn two-factor sign-in on from their account: the same enrolment step as at sign-in
 * (a new secret, a code to prove it, recovery codes), ending in a fresh session.
 */
export async function startTwoFactorEnrolment(actor: Actor): Promise<string> {
  const u = await unscopedDb('sign-in').user.findUniqueOrThrow({
    where: { id: actor.userId },
    select: { totpEnabledAt: true },
  })
  if (u.totpEnabledAt) throw new AppError('conflict', 'Two-factor sign-in is already on.')
  return unscopedDb('sign-in').$transaction((tx) => openChallenge(tx, actor.userId, false))
}

export async function twoFactorStatus(actor: Actor) {
  const u = await unscopedDb('sign-in').user.findUniqueOrThrow({
    where: { id: actor.userId },
    select: { totpEnabledAt: true, _count: { select: { recoveryCodes: { where: { usedAt: null } } } } },
  })
  return { on: Boolean(u.totpEnabledAt), recoveryCodesLeft: u._count.recoveryCodes }
}
