import type { OrganizationKind, Role } from '../platform/db/generated/enums.ts'
import { memberPermissions, onBehalfPermissions, roleGrants, staffRoles, type Permission } from './permissions.ts'

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

/** A platform-wide permission of ggml staff (granted by a role held in the ggml organization). */
export function canAsStaff(actor: Actor, permission: Permission): boolean {
  return staffMemberships(actor).some((m) => roleGrants(m.role, permission))
}

/** Staff whose role may do this inside partners' organizations (the onBehalf list): e.g. draft contracts. */
export function canOnBehalf(actor: Actor, permission: Permission): boolean {
  return staffMemberships(actor).some((m) => onBehalfPermissions(m.role).includes(permission))
}

export interface Grants {
  granted: ReadonlySet<Permission>
  /** Staff acting inside an organization they are not a member of: audited as acting on its behalf. */
  onBehalf: boolean
}

/**
 * What the actor may do inside one organization: their membership there, else (for ggml staff in
 * another organization) what the matrix lets them do on its behalf.
 */
export function grantsIn(actor: Actor, organizationId: string): Grants {
  const own = actor.memberships.filter((m) => m.organizationId === organizationId)
  if (own.length) return { granted: new Set(own.flatMap((m) => memberPermissions(m.role))), onBehalf: false }
  const staff = staffMemberships(actor).filter((m) => m.organizationId !== organizationId)
  return { granted: new Set(staff.flatMap((m) => onBehalfPermissions(m.role))), onBehalf: staff.length > 0 }
}

/** A permission inside one organization: by membership there, or as staff on its behalf. */
export function canIn(actor: Actor, organizationId: string, permission: Permission): boolean {
  return grantsIn(actor, organizationId).granted.has(permission)
}
