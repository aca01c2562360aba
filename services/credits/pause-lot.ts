import { z } from 'zod'
import { auditActorOf, recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { AppError } from '../platform/errors/app-error.ts'
import type { Actor } from '../identity/actor.ts'
import { assertCanAsStaff } from '../tenancy/tenant-guard.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

export const pauseLotSchema = z.object({
  grantId: z.string().trim().min(1).max(64),
  paused: z.enum(['yes', 'no']),
})

/** A paused lot pays for nothing until resumed (an account under review); its expiry does not move. */
export async function pauseLot(actor: Actor, input: z.input<typeof pauseLotSchema>) {
  assertCanAsStaff(actor, 'rewards.manage_program')
  const f = parseInput(pauseLotSchema, input)
  return unscopedDb('staff view').$transaction(async (tx) => {
    const g = await tx.creditGrant.findUnique({ where: { id: f.grantId } })
    if (!g || g.status !== 'approved' || g.revokedAt) throw new AppError('not_found', 'No such active grant.')
    // The lot's row lock: a spend running now finishes before the pause, none starts after it.
    await tx.$queryRaw`SELECT 1 FROM "CreditGrant" WHERE "id" = ${g.id} FOR UPDATE`
    await tx.creditGrant.update({ where: { id: g.id }, data: { paused: f.paused === 'yes' } })
    await recordAuditEvent(tx, {
      actor: auditActorOf({ actor }),
      organizationId: g.organizationId,
      action: f.paused === 'yes' ? 'credits.lot.pause' : 'credits.lot.resume',
      targetType: 'credit_grant',
      targetId: g.id,
    })
  })
}
