import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'

export async function listTeam(scope: TenantScope) {
  assertCan(scope, 'team.view')
  const [members, invitations] = await Promise.all([
    scope.db.membership.findMany({
      include: { user: { select: { id: true, email: true, name: true } } },
      orderBy: { createdAt: 'asc' },
    }),
    scope.db.invitation.findMany({ where: { acceptedAt: null, revokedAt: null }, orderBy: { createdAt: 'desc' } }),
  ])
  return { members, invitations }
}
