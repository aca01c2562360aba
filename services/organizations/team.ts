import { z } from 'zod'
import { recordAuditEvent } from '../audit/record-audit-event.ts'
import { appUrl } from '../config/env.ts'
import type { Role } from '../db/generated/enums.ts'
import { newId } from '../db/ids.ts'
import { renderEmail } from '../email/render-email.ts'
import { AppError } from '../errors/app-error.ts'
import { partnerRoles, roleLabel, roles, staffRoles } from '../identity/permissions.ts'
import { newSecretToken } from '../identity/tokens.ts'
import { enqueueJob } from '../jobs/enqueue-job.ts'
import type { TenantScope } from '../tenancy/tenant-guard.ts'
import { now, nowMs } from '../platform/clock.ts'

export const INVITATION_TTL_MS = 7 * 24 * 3600 * 1000

/** Which roles an organization of this kind can hold. */
export function assignableRoles(kind: string): Role[] {
  if (kind === 'ggml') return roles.filter((r) => staffRoles.has(r) || r === 'learner' || r === 'contributor')
  return roles.filter((r) => partnerRoles.has(r) || r === 'learner' || r === 'contributor')
}

export const inviteSchema = z.object({
  email: z.email('Enter a valid email address.').transform((e) => e.toLowerCase()),
  role: z.enum(roles, 'Choose a role.'),
})

const auditActor = (s: TenantScope) => ({ userId: s.actor.userId, email: s.actor.email })

export async function listTeam(scope: TenantScope) {
  const [members, invitations] = await Promise.all([
    scope.db.membership.findMany({
      include: { user: { select: { id: true, email: true, name: true } } },
      orderBy: { createdAt: 'asc' },
    }),
    scope.db.invitation.findMany({ where: { acceptedAt: null, revokedAt: null }, orderBy: { createdAt: 'desc' } }),
  ])
  return { members, invitations }
}

/** Scope must have been opened with 'team.manage'. */
export async function inviteMember(scope: TenantScope, input: z.input<typeof inviteSchema>) {
  const { email, role } = inviteSchema.parse(input)
  if (!assignableRoles(scope.organization.kind).includes(role)) {
    throw new AppError('invalid_input', 'That role cannot be held in this organization.', {
      role: [`${roleLabel(role)} is not available for ${scope.organization.name}.`],
    })
  }
  const existing = await scope.db.membership.findFirst({ where: { user: { email } } })
  if (existing) throw new AppError('conflict', 'Already a member.', { email: ['This person is already a member.'] })
  const { token, tokenHash } = newSecretToken()
  return scope.db.$transaction(async (tx) => {
    const invitation = await tx.invitation.create({
      data: {
        id: newId(),
        organizationId: scope.organization.id,
        email,
        role,
        tokenHash,
        invitedById: scope.actor.userId,
        expiresAt: new Date(nowMs() + INVITATION_TTL_MS),
      },
    })
    await enqueueJob(tx, 'email.send', {
      to: email,
      ...renderEmail(
        `You are invited to ${scope.organization.name} on the GGML partner platform`,
        [
          `${scope.actor.name} invited you to join ${scope.organization.name} as ${roleLabel(role)}.`,
          'The invitation is valid for seven days.',
        ],
        { label: 'Accept the invitation', url: `${appUrl()}/invitations/${token}` },
      ),
    })
    await recordAuditEvent(tx, {
      actor: auditActor(scope),
      organizationId: scope.organization.id,
      action: 'invitation.create',
      targetType: 'invitation',
      targetId: invitation.id,
      changes: { after: { email, role } },
    })
    return invitation
  })
}

export async function revokeInvitation(scope: TenantScope, invitationId: string) {
  const invitation = await scope.db.invitation.findUnique({ where: { id: invitationId } })
  if (!invitation || invitation.acceptedAt || invitation.revokedAt)
    throw new AppError('not_found', 'No open invitation with that id.')
  await scope.db.$transaction(async (tx) => {
    await tx.invitation.update({ where: { id: invitation.id }, data: { revokedAt: now() } })
    await recordAuditEvent(tx, {
      actor: auditActor(scope),
      organizationId: scope.organization.id,
      action: 'invitation.revoke',
      targetType: 'invitation',
      targetId: invitation.id,
      changes: { before: { email: invitation.email, role: invitation.role } },
    })
  })
}

export async function removeMember(scope: TenantScope, membershipId: string) {
  const membership = await scope.db.membership.findUnique({ where: { id: membershipId }, include: { user: true } })
  if (!membership) throw new AppError('not_found', 'No such member.')
  if (membership.userId === scope.actor.userId)
    throw new AppError('invalid_input', 'You cannot remove yourself; ask another admin.')
  await scope.db.$transaction(async (tx) => {
    await tx.membership.delete({ where: { id: membership.id } })
    await recordAuditEvent(tx, {
      actor: auditActor(scope),
      organizationId: scope.organization.id,
      action: 'membership.remove',
      targetType: 'membership',
      targetId: membership.id,
      changes: { before: { email: membership.user.email, role: membership.role } },
    })
  })
}
