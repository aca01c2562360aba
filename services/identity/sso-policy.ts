import { db } from '../db/client.ts'

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
  const d = await db().organizationDomain.findUnique({
    where: { domain },
    include: { organization: { select: { slug: true } } },
  })
  return d?.verifiedAt && d.requireSso
    ? { organizationId: d.organizationId, organizationSlug: d.organization.slug }
    : null
}
