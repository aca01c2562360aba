import { unscopedDb } from '../platform/db/unscoped.ts'
import { staffRoles } from './permissions.ts'

/**
 * Who owns a person's sign-in identity (their email, password, second factor, the account's on/off
 * switch), decided here and nowhere else (decision 018). The identity belongs to the one organization
 * that has verified the email's domain and is the person's only membership; otherwise to the person.
 * An organization may always manage its own membership of someone; it may change the global identity
 * only where it owns it.
 *
 * These read through the unscoped client on purpose, never a tenant-scoped one: who owns an identity
 * is a question across organizations, and a scoped client would see one membership and answer "you".
 */
export type IdentityOwner = { kind: 'organization'; organizationId: string } | { kind: 'person' }

export const emailDomain = (email: string) => email.slice(email.lastIndexOf('@') + 1).toLowerCase()

/** The pure rule, for a person's facts as read from the database. */
export function decideIdentityOwner(facts: {
  /** The organization that verified the email's domain, if any. */
  domainVerifiedBy: string | null
  /** Every organization the person is a member of (deactivated memberships included: still theirs). */
  membershipOrganizationIds: string[]
}): IdentityOwner {
  const orgs = new Set(facts.membershipOrganizationIds)
  if (facts.domainVerifiedBy && orgs.size === 1 && orgs.has(facts.domainVerifiedBy))
    return { kind: 'organization', organizationId: facts.domainVerifiedBy }
  return { kind: 'person' }
}

/** The organization that has verified this email's domain, or null. */
export async function domainVerifiedBy(email: string): Promise<string | null> {
  const d = await unscopedDb('sign-in').organizationDomain.findUnique({ where: { domain: emailDomain(email) } })
  return d?.verifiedAt ? d.organizationId : null
}

export async function identityOwner(user: { id: string; email: string }): Promise<IdentityOwner> {
  const [verifiedBy, memberships] = await Promise.all([
    domainVerifiedBy(user.email),
    unscopedDb('sign-in').membership.findMany({ where: { userId: user.id }, select: { organizationId: true } }),
  ])
  return decideIdentityOwner({
    domainVerifiedBy: verifiedBy,
    membershipOrganizationIds: memberships.map((m) => m.organizationId),
  })
}

/** Whether this organization may change the person's global identity (email, name, account, second factor). */
export async function organizationOwnsIdentity(
  organizationId: string,
  user: { id: string; email: string },
): Promise<boolean> {
  const owner = await identityOwner(user)
  return owner.kind === 'organization' && owner.organizationId === organizationId
}

/**
 * A domain ggml staff sign in with, or a subdomain of one: no other organization may claim it, and no
 * other identity provider may sign anyone in with it, today or for a future address.
 */
export async function isStaffDomain(domain: string): Promise<boolean> {
  const labels = domain.toLowerCase().replace(/\.$/, '').split('.')
  // The domain and every parent of it with at least two labels: mail.ggml.example is ggml.example's.
  const candidates = labels.slice(0, -1).map((_, i) => labels.slice(i).join('.'))
  const [staffClaim, staffPeople] = await Promise.all([
    unscopedDb('sign-in').organizationDomain.count({
      where: { domain: { in: candidates }, organization: { kind: 'ggml' } },
    }),
    unscopedDb('sign-in').membership.count({
      where: {
        organization: { kind: 'ggml' },
        role: { in: [...staffRoles] },
        OR: candidates.map((d) => ({ user: { email: { endsWith: `@${d}`, mode: 'insensitive' as const } } })),
      },
    }),
  ])
  return staffClaim + staffPeople > 0
}
