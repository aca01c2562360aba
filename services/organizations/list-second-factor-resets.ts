import { unscopedDb } from '../platform/db/unscoped.ts'
import type { TenantScope } from '../tenancy/tenant-guard.ts'
import { decideIdentityOwner, emailDomain } from '../identity/identity-owner.ts'
import { staffRoles } from '../identity/permissions.ts'
import { decideSecondFactorReset, isGgmlAdmin, type SecondFactorResetPath } from './reset-second-factor.ts'

export interface MemberSecondFactor {
  /** What this admin may start: a reset now, or a request for a second ggml admin; null: neither. */
  action: SecondFactorResetPath | null
  /** The request waiting for a second ggml admin, if any. */
  openRequest: { id: string; requestedBy: string; reason: string; canApprove: boolean } | null
}

/**
 * For the team page: each member with a second factor enrolled, and the reset the actor may start or
 * approve there, decided by the same rules as the use cases (two queries for the whole team).
 */
export async function listSecondFactorResets(scope: TenantScope): Promise<Record<string, MemberSecondFactor>> {
  if (!scope.granted.has('team.reset_second_factor')) return {}
  const users = await unscopedDb('staff view').user.findMany({
    where: { totpEnabledAt: { not: null }, memberships: { some: { organizationId: scope.organization.id } } },
    select: {
      id: true,
      email: true,
      memberships: { select: { organizationId: true, role: true, organization: { select: { kind: true } } } },
      secondFactorResets: {
        where: { decidedAt: null },
        select: { id: true, reason: true, requestedById: true, requestedBy: { select: { name: true } } },
      },
    },
  })
  const verified = await unscopedDb('staff view').organizationDomain.findMany({
    where: { domain: { in: [...new Set(users.map((u) => emailDomain(u.email)))] }, verifiedAt: { not: null } },
    select: { domain: true, organizationId: true },
  })
  const verifiedBy = new Map(verified.map((d) => [d.domain, d.organizationId]))
  const ggmlAdmin = isGgmlAdmin(scope.actor)
  const out: Record<string, MemberSecondFactor> = {}
  for (const u of users) {
    const owner = decideIdentityOwner({
      domainVerifiedBy: verifiedBy.get(emailDomain(u.email)) ?? null,
      membershipOrganizationIds: u.memberships.map((m) => m.organizationId),
    })
    const decision = decideSecondFactorReset({
      self: u.id === scope.actor.userId,
      targetIsStaff: u.memberships.some((m) => m.organization.kind === 'ggml' && staffRoles.has(m.role)),
      organizationOwnsIdentity: owner.kind === 'organization' && owner.organizationId === scope.organization.id,
      onBehalf: scope.onBehalf,
      actorIsGgmlAdmin: ggmlAdmin,
    })
    const open = u.secondFactorResets[0]
    out[u.id] = {
      action: 'path' in decision && !open ? decision.path : null,
      openRequest: open
        ? {
            id: open.id,
            requestedBy: open.requestedBy.name,
            reason: open.reason,
            canApprove: ggmlAdmin && open.requestedById !== scope.actor.userId && u.id !== scope.actor.userId,
          }
        : null,
    }
  }
  return out
}
