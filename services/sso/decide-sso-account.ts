import type { OrganizationKind } from '../platform/db/generated/enums.ts'
import { decideIdentityOwner } from '../identity/identity-owner.ts'
import type { RefusalReason } from './saml-refusal.ts'

export type SsoAccountDecision =
  { kind: 'create' } | { kind: 'existing' } | { kind: 'refuse'; reason: RefusalReason; detail: string }

/**
 * Whom an organization's identity provider may sign in (decision 018): only addresses in a domain the
 * organization verified, never a staff domain, never an existing account without an active membership
 * there or with a membership elsewhere. A new address in the organization's own domain gets its
 * account just in time.
 */
export function decideSsoAccount(f: {
  organizationId: string
  organizationKind: OrganizationKind
  email: string
  domainVerifiedBy: string | null
  staffDomain: boolean
  user: null | { disabled: boolean; memberships: { organizationId: string; deactivated: boolean }[] }
}): SsoAccountDecision {
  const domain = f.email.slice(f.email.lastIndexOf('@') + 1)
  if (f.staffDomain && f.organizationKind !== 'ggml')
    return { kind: 'refuse', reason: 'staff_domain', detail: `${domain} is a ggml staff domain` }
  if (f.domainVerifiedBy !== f.organizationId)
    return {
      kind: 'refuse',
      reason: 'domain_not_verified',
      detail: `${domain} is not a verified domain of this organization`,
    }
  if (!f.user) return { kind: 'create' }
  if (f.user.disabled) return { kind: 'refuse', reason: 'account_disabled', detail: 'the account is disabled' }
  const here = f.user.memberships.find((m) => m.organizationId === f.organizationId)
  if (!here) return { kind: 'refuse', reason: 'no_membership', detail: 'the account has no membership here' }
  if (here.deactivated)
    return { kind: 'refuse', reason: 'membership_deactivated', detail: 'the membership here is deactivated' }
  const owner = decideIdentityOwner({
    domainVerifiedBy: f.domainVerifiedBy,
    membershipOrganizationIds: f.user.memberships.map((m) => m.organizationId),
  })
  if (owner.kind !== 'organization')
    return { kind: 'refuse', reason: 'account_elsewhere', detail: 'the account belongs to another organization too' }
  return { kind: 'existing' }
}
