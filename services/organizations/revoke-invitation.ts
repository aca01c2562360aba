import { recordAuditEvent, auditActorOf } from '../platform/audit/record-audit-event.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { now } from '../platform/clock.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'

export async function revokeInvitation(scope: TenantScope, invitationId: string) {
  assertCan(scope, 'team.remove')
  const invitation = await scope.db.invitation.findUnique({ where: { id: invitationId } })
  if (!invitation || invitation.acceptedAt || invitation.revokedAt)
    throw new AppError('not_found', 'No open invitation with that id.')
  await scope.db.$transaction(async (tx) => {
    await tx.invitation.update({ where: { id: invitation.id }, data: { revokedAt: now() } })
    await recordAuditEvent(tx, {
      actor: auditActorOf(scope),
      organizationId: scope.organization.id,
      action: 'invitation.revoke',
      targetType: 'invitation',
      targetId: invitation.id,
      changes: { before: { email: invitation.email, role: invitation.role } },
    })
  })
}
