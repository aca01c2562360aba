import { z } from 'zod'
import { AppError } from '../errors/app-error.ts'
import { newId } from '../db/ids.ts'
import { recordAuditEvent, auditActorOf } from '../audit/record-audit-event.ts'
import { roleLabel, roles } from '../identity/permissions.ts'
import { assignableRoles, INVITATION_TTL_MS } from './team.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { nowMs } from '../platform/clock.ts'
import { enqueueJob } from '../jobs/enqueue-job.ts'
import { linkToken, sha256 } from '../identity/tokens.ts'

export const inviteSchema = z.object({
  email: z.email('Enter a valid email address.').transform((e) => e.toLowerCase()),
  role: z.enum(roles, 'Choose a role.'),
})
export async function inviteMember(scope: TenantScope, input: z.input<typeof inviteSchema>) {
  assertCan(scope, 'team.invite')
  const { email, role } = inviteSchema.parse(input)
  if (!assignableRoles(scope.organization.kind).includes(role)) {
    throw new AppError('invalid_input', 'That role cannot be held in this organization.', {
      role: [`${roleLabel(role)} is not available for ${scope.organization.name}.`],
    })
  }
  const existing = await scope.db.membership.findFirst({ where: { user: { email } } })
  if (existing) throw new AppError('conflict', 'Already a member.', { email: ['This person is already a member.'] })
  const id = newId()
  return scope.db.$transaction(async (tx) => {
    const invitation = await tx.invitation.create({
      data: {
        id,
        organizationId: scope.organization.id,
        email,
        role,
        tokenHash: sha256(linkToken('invitation-link', id)),
        invitedById: scope.actor.userId,
        expiresAt: new Date(nowMs() + INVITATION_TTL_MS),
      },
    })
    // The link is made when the job sends it: nothing secret is written to the outbox.
    await enqueueJob(tx, 'identity.send-invitation', { invitationId: id })
    await recordAuditEvent(tx, {
      actor: auditActorOf(scope),
      organizationId: scope.organization.id,
      action: 'invitation.create',
      targetType: 'invitation',
      targetId: invitation.id,
      changes: { after: { email, role } },
    })
    return invitation
  })
}
