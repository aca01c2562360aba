import { z } from 'zod'
import { auditActorOf, recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import type { Db, Tx } from '../platform/db/client.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { newId } from '../platform/db/ids.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { enqueueJob } from '../platform/jobs/enqueue-job.ts'
import { now } from '../platform/clock.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { canAsStaff, type Actor } from '../identity/actor.ts'
import { organizationOwnsIdentity } from '../identity/identity-owner.ts'
import { staffRoles } from '../identity/permissions.ts'
import { errorCode } from '../platform/errors/error-code.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

export const resetSecondFactorSchema = z.object({
  userId: z.string().min(1),
  reason: z
    .string()
    .trim()
    .min(5, 'Say in a few words why: it goes into the audit log and the request.')
    .max(500, 'Keep the reason under 500 characters.'),
})

export type SecondFactorResetPath = 'reset' | 'four_eyes'
export type SecondFactorResetRefusal = 'self' | 'staff' | 'not_owned'

/**
 * Who may reset whose second factor (issue 25). An organization's admin resets it at once where the
 * organization owns the person's identity (identity-owner.ts). A ggml staff member's, whoever asks,
 * and any other a ggml admin takes on (a person no organization owns, or for an organization as
 * support), takes two ggml admins: one asks, another approves. Nobody resets their own.
 */
export function decideSecondFactorReset(f: {
  self: boolean
  targetIsStaff: boolean
  organizationOwnsIdentity: boolean
  /** ggml staff acting inside a partner's organization. */
  onBehalf: boolean
  /** Holds the permission as ggml staff: a ggml admin. */
  actorIsGgmlAdmin: boolean
}): { path: SecondFactorResetPath } | { refused: SecondFactorResetRefusal } {
  if (f.self) return { refused: 'self' }
  if (f.targetIsStaff) return f.actorIsGgmlAdmin ? { path: 'four_eyes' } : { refused: 'staff' }
  if (f.organizationOwnsIdentity && !f.onBehalf) return { path: 'reset' }
  return f.actorIsGgmlAdmin ? { path: 'four_eyes' } : { refused: 'not_owned' }
}

/** A ggml admin, for the four-eyes path: staff of the ggml organization who hold this permission there. */
export const isGgmlAdmin = (actor: Actor) => canAsStaff(actor, 'team.reset_second_factor')

/** Staff of the ggml organization (any staff role): their second factor is reset with four eyes only. */
export async function isGgmlStaff(client: Db | Tx, userId: string): Promise<boolean> {
  const n = await client.membership.count({
    where: { userId, organization: { kind: 'ggml' }, role: { in: [...staffRoles] } },
  })
  return n > 0
}

export function resetRefusalMessage(refusal: SecondFactorResetRefusal, person: string, organization: string): string {
  if (refusal === 'self') return 'You cannot reset your own second factor; ask another admin.'
  if (refusal === 'staff')
    return `${person} is ggml staff: a ggml admin asks for the reset and a second ggml admin approves it.`
  return (
    `${person} also belongs to another organization, or their email's domain is not one ${organization} has ` +
    'verified, so their sign-in is theirs, not the organization’s. Ask ggml support to reset their second factor.'
  )
}

/**
 * An admin resets a member's second factor: done at once where the organization owns the identity,
 * recorded as a request for a second ggml admin where four eyes are needed (approve-second-factor-reset.ts),
 * refused otherwise.
 */
export async function resetSecondFactor(
  scope: TenantScope,
  input: z.input<typeof resetSecondFactorSchema>,
): Promise<{ outcome: 'reset' | 'requested'; name: string }> {
  assertCan(scope, 'team.reset_second_factor')
  const { userId, reason } = parseInput(resetSecondFactorSchema, input)
  const member = await scope.db.membership.findFirst({ where: { userId }, include: { user: true } })
  if (!member) throw new AppError('not_found', 'No such member.')
  const user = member.user
  if (!user.totpEnabledAt) throw new AppError('conflict', `${user.name} has no second factor to reset.`)
  try {
    return await unscopedDb('in scope').$transaction(async (tx) => {
      const decision = decideSecondFactorReset({
        self: user.id === scope.actor.userId,
        targetIsStaff: await isGgmlStaff(tx, user.id),
        organizationOwnsIdentity: await organizationOwnsIdentity(scope.organization.id, user),
        onBehalf: scope.onBehalf,
        actorIsGgmlAdmin: isGgmlAdmin(scope.actor),
      })
      if ('refused' in decision)
        throw new AppError('forbidden', resetRefusalMessage(decision.refused, user.name, scope.organization.name))
      if (decision.path === 'reset') {
        await clearSecondFactor(tx, scope, user, { reason })
        return { outcome: 'reset' as const, name: user.name }
      }
      const request = { id: newId(), userId: user.id, requestedById: scope.actor.userId, reason, createdAt: now() }
      await tx.secondFactorReset.create({ data: request })
      await recordAuditEvent(tx, {
        actor: auditActorOf(scope),
        organizationId: scope.organization.id,
        action: 'user.second_factor_reset_requested',
        targetType: 'user',
        targetId: user.id,
        changes: { requestId: request.id, reason },
      })
      return { outcome: 'requested' as const, name: user.name }
    })
  } catch (e) {
    // One open request per person (a partial unique index): the page shows the one waiting.
    if (errorCode(e) === 'P2002')
      throw new AppError('conflict', `A reset of ${user.name}'s second factor is already waiting for approval.`)
    throw e
  }
}

/**
 * Clears the person's authenticator, recovery codes, open sign-in challenges and lock, and ends their
 * sessions; audited, and the person is emailed. Where a second factor is required, the next sign-in
 * enrols a new one.
 */
export async function clearSecondFactor(
  tx: Tx,
  scope: TenantScope,
  user: { id: string; email: string },
  details: { reason: string; requestId?: string; requestedById?: string },
): Promise<void> {
  await tx.user.update({
    where: { id: user.id },
    data: {
      totpSecret: null,
      totpEnabledAt: null,
      totpLastStep: null,
      secondFactorFailures: 0,
      secondFactorLockedUntil: null,
    },
  })
  await tx.recoveryCode.deleteMany({ where: { userId: user.id } })
  await tx.signInChallenge.deleteMany({ where: { userId: user.id } })
  const sessions = await tx.session.deleteMany({ where: { userId: user.id } })
  await recordAuditEvent(tx, {
    actor: auditActorOf(scope),
    organizationId: scope.organization.id,
    action: 'user.second_factor_reset',
    targetType: 'user',
    targetId: user.id,
    changes: { ...details, sessionsEnded: sessions.count },
  })
  await enqueueJob(tx, 'identity.send-second-factor-reset', { userId: user.id })
}
