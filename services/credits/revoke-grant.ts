import { z } from 'zod'
import { auditActorOf, recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { AppError } from '../platform/errors/app-error.ts'
import type { Actor } from '../identity/actor.ts'
import { now, todayUtc } from '../platform/clock.ts'
import { systemScope, assertCanAsStaff } from '../tenancy/tenant-guard.ts'
import { closeLot } from './close-lot.ts'
import { lockLots } from './lots.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

export const proposeRevocationSchema = z.object({
  grantId: z.string().trim().min(1).max(64),
  reason: z.string().trim().min(5, 'Say why the grant is revoked.').max(500),
})
export const decideRevocationSchema = z.object({
  grantId: z.string().trim().min(1).max(64),
  decision: z.enum(['approve', 'reject']),
})

/** A program manager proposes revoking an approved grant; a second person decides. */
export async function proposeRevocation(actor: Actor, input: z.input<typeof proposeRevocationSchema>) {
  assertCanAsStaff(actor, 'rewards.manage_program')
  const f = parseInput(proposeRevocationSchema, input)
  return unscopedDb('staff view').$transaction(async (tx) => {
    const updated = await tx.creditGrant.updateMany({
      where: { id: f.grantId, status: 'approved', revokedAt: null, revocationById: null },
      data: { revocationById: actor.userId, revocationReason: f.reason },
    })
    if (updated.count === 0)
      throw new AppError('not_found', 'No approved grant to revoke, or a revocation already waits.')
    const g = await tx.creditGrant.findUniqueOrThrow({ where: { id: f.grantId } })
    await recordAuditEvent(tx, {
      actor: auditActorOf({ actor }),
      organizationId: g.organizationId,
      action: 'credits.revocation.propose',
      targetType: 'credit_grant',
      targetId: g.id,
      changes: { reason: f.reason },
    })
  })
}

/** Approved, what the lot still holds leaves it (spent credits stay spent); rejected, the proposal is withdrawn. */
export async function decideRevocation(actor: Actor, input: z.input<typeof decideRevocationSchema>) {
  assertCanAsStaff(actor, 'rewards.approve')
  const f = parseInput(decideRevocationSchema, input)
  const grant = await unscopedDb('staff view').creditGrant.findUnique({ where: { id: f.grantId } })
  if (!grant || !grant.revocationById || grant.revokedAt)
    throw new AppError('not_found', 'No revocation waits for a decision on this grant.')
  if (grant.revocationById === actor.userId)
    throw new AppError('forbidden', 'You proposed this revocation: another person decides it.')
  const scope = await systemScope(grant.organizationId)
  return scope.db.$transaction(async (tx) => {
    let revokedMinor = 0n
    if (f.decision === 'approve') {
      const [lot] = await lockLots(tx, grant.organizationId, grant.id)
      const done = await tx.creditGrant.updateMany({
        where: { id: grant.id, revokedAt: null, revocationById: grant.revocationById },
        data: { revokedAt: now(), revokedById: actor.userId },
      })
      if (done.count === 0) throw new AppError('conflict', 'Someone else decided this a moment ago.')
      if (lot) revokedMinor = await closeLot(tx, grant.organizationId, lot, 'revocation', todayUtc())
    } else {
      await tx.creditGrant.updateMany({
        where: { id: grant.id, revokedAt: null },
        data: { revocationById: null, revocationReason: null },
      })
    }
    await recordAuditEvent(tx, {
      actor: auditActorOf({ actor }),
      organizationId: grant.organizationId,
      action: `credits.revocation.${f.decision}`,
      targetType: 'credit_grant',
      targetId: grant.id,
      changes: { reason: grant.revocationReason, revokedMinor: revokedMinor.toString() },
    })
    return { revokedMinor }
  })
}
