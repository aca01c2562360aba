import { recordAuditEvent, auditActorOf } from '../platform/audit/record-audit-event.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { keepsAnAdmin } from './keeps-an-admin.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'

export async function removeMember(scope: TenantScope, membershipId: string) {
  assertCan(scope, 'team.remove')
  const membership = await scope.db.membership.findUnique({ where: { id: membershipId }, include: { user: true } })
  if (!membership) throw new AppError('not_found', 'No such member.')
  if (membership.userId === scope.actor.userId)
    throw new AppError('invalid_input', 'You cannot remove yourself; ask another admin.')
  await scope.db.$transaction(async (tx) => {
    if (!(await keepsAnAdmin(tx, scope.organization.id, membership.userId, null)))
      throw new AppError(
        'conflict',
        `${membership.user.email} is the organization's last admin: make someone else admin first.`,
      )
    await tx.membership.delete({ where: { id: membership.id } })
    await recordAuditEvent(tx, {
      actor: auditActorOf(scope),
      organizationId: scope.organization.id,
      action: 'membership.remove',
      targetType: 'membership',
      targetId: membership.id,
      changes: { before: { email: membership.user.email, role: membership.role } },
    })
  })
}
