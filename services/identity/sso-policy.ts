import { unscopedDb } from '../platform/db/unscoped.ts'

/**
 * Where a person whose email domain requires SSO must sign in instead, or null. Sign-in asks before it
 * checks a password; organization-domains.ts (sso/) sets the requirement. Identity owns the policy, so
 * sign-in imports nothing from sso/ (issue 27).
 */
export async function ssoRequiredFor(
  email: string,
): Promise<{ organizationId: string; organizationSlug: string } | null> {
  const domain = email.split('@')[1]?.toLowerCase()
  if (!domain) return null
  const d = await unscopedDb('sign-in').organizationDomain.findUnique({
    where: { domain },
    include: { organization: { select: { slug: true } } },
  })
  return d?.verifiedAt && d.requireSso
    ? { organizationId: d.organizationId, organizationSlug: d.organization.slug }
    : null
}

/**
 * The organization whose company sign-in serves this email's domain, required or not: a verified domain
 * with an enabled SAML connection. A fact about the domain, never about an account, so sign-in may say it
 * to anyone who types such an email (issue 28: an SSO user at the password form is sent to company sign-in).
 */
export async function companySignInFor(email: string): Promise<{ organizationSlug: string } | null> {
  const domain = email.split('@')[1]?.toLowerCase()
  if (!domain) return null
  const d = await unscopedDb('sign-in').organizationDomain.findUnique({
    where: { domain },
    select: {
      verifiedAt: true,
      organization: { select: { slug: true, samlConnections: { where: { enabled: true }, select: { id: true } } } },
    },
  })
  return d?.verifiedAt && d.organization.samlConnections.length > 0 ? { organizationSlug: d.organization.slug } : null
}
