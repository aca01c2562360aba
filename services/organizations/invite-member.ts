import { z } from 'zod'
import { AppError } from '../platform/errors/app-error.ts'
import { auditActorOf } from '../platform/audit/record-audit-event.ts'
import { roleLabel, roles } from '../identity/permissions.ts'
import { assignableRoles } from './team.ts'
import { recordInvitation } from './record-invitation.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

export const inviteSchema = z.object({
  email: z.email('Enter a valid email address.').transform((e) => e.toLowerCase()),
  role: z.enum(roles, 'Choose a role.'),
})
export async function inviteMember(scope: TenantScope, input: z.input<typeof inviteSchema>) {
  assertCan(scope, 'team.invite')
  const { email, role } = parseInput(inviteSchema, input)
  if (!assignableRoles(scope.organization.kind).includes(role)) {
    throw new AppError('invalid_input', 'That role cannot be held in this organization.', {
      role: [`${roleLabel(role)} is not available for ${scope.organization.name}.`],
    })
  }
  const existing = await scope.db.membership.findFirst({ where: { user: { email } } })
  if (existing) throw new AppError('conflict', 'Already a member.', { email: ['This person is already a member.'] })
  return scope.db.$transaction((tx) =>
    recordInvitation(
      tx,
      { organizationId: scope.organization.id, email, role, invitedById: scope.actor.userId },
      auditActorOf(scope),
    ),
  )
}
