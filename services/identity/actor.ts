import type { OrganizationKind, Role } from '../db/generated/enums.ts'
import { roleGrants, staffRoles, type Permission } from './permissions.ts'

export interface ActorMembership {
  organizationId: string
  organizationSlug: string
  organizationName: string
  organizationKind: OrganizationKind
  role: Role
}

/** The signed-in person as the domain sees them: plain data, no ORM rows. */
export interface Actor {
  userId: string
  email: string
  name: string
  sessionId: string
  memberships: ActorMembership[]
}

function staffMemberships(actor: Actor): ActorMembership[] {
  return actor.memberships.filter((m) => m.organizationKind === 'ggml' && staffRoles.has(m.role))
}

/** A permission held anywhere: through staff roles, or through any membership for org-level ones. */
export function canAnywhere(actor: Actor, permission: Permission): boolean {
  return actor.memberships.some((m) => roleGrants(m.role, permission))
}

/** A staff-wide permission (granted by a role in the ggml organization). */
export function canAsStaff(actor: Actor, permission: Permission): boolean {
  return staffMemberships(actor).some((m) => roleGrants(m.role, permission))
}

/** A permission inside one organization: by membership there, or as staff across partners. */
export function canIn(actor: Actor, organizationId: string, permission: Permission): boolean {
  const own = actor.memberships.some((m) => m.organizationId === organizationId && roleGrants(m.role, permission))
  if (own) return true
  return canAsStaff(actor, 'partners.read_any') && canAsStaff(actor, permission)
}
