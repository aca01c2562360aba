import { z } from 'zod'
import { auditActorOf, recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

export const publicListingSchema = z.object({
  grantId: z.string().trim().min(1).max(64),
  listPublicly: z.enum(['yes', 'no']),
})

/** The contributor chooses whether this year's public page of recipients names them. */
export async function setPublicListing(scope: TenantScope, input: z.input<typeof publicListingSchema>) {
  assertCan(scope, 'rewards.accept')
  const f = parseInput(publicListingSchema, input)
  return scope.db.$transaction(async (tx) => {
    const updated = await tx.creditGrant.updateMany({
      where: { id: f.grantId, status: 'approved', grantedAt: { not: null } },
      data: { listPublicly: f.listPublicly === 'yes' },
    })
    if (updated.count === 0) throw new AppError('not_found', 'No such accepted grant.')
    await recordAuditEvent(tx, {
      actor: auditActorOf(scope),
      organizationId: scope.organization.id,
      action: 'credits.grant.public_listing',
      targetType: 'credit_grant',
      targetId: f.grantId,
      changes: { listPublicly: f.listPublicly === 'yes' },
    })
  })
}
