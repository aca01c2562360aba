import type { LocalIdpUser, LocalSamlIdp } from '../fakes/saml-idp/local-saml-idp.ts'
import { db } from '../services/platform/db/client.ts'
import { actorForUser } from '../services/identity/sessions.ts'
import { saveSamlConnection } from '../services/sso/save-saml-connection.ts'
import { claimDomain } from '../services/sso/organization-domains.ts'
import { now } from '../services/platform/clock.ts'
import { tenantScope } from '../services/tenancy/tenant-guard.ts'
import { DEMO_PASSWORD } from './demo.ts'

/** Helix Mutual's people at the demo's local identity provider; none has an account until they sign in. */
export const demoIdpUsers: LocalIdpUser[] = [
  { email: 'ivy@helix.example', name: 'Ivy Finance', password: DEMO_PASSWORD, groups: ['helix-finance'] },
  { email: 'omar@helix.example', name: 'Omar Engineer', password: DEMO_PASSWORD, groups: ['helix-engineering'] },
]

/**
 * Helix Mutual signs in through its identity provider: Hana (its admin) configured the connection
 * from the IdP's metadata, with helix-finance mapped to partner finance. Runs once.
 */
export async function seedDemoSso(idp: Pick<LocalSamlIdp, 'metadata'>): Promise<void> {
  const helix = await db().organization.findUniqueOrThrow({ where: { slug: 'helix-mutual' } })
  const hana = await db().user.findUniqueOrThrow({ where: { email: 'admin@helix.example' } })
  const scope = await tenantScope(await actorForUser(hana.id), { id: helix.id }, 'sso.configure')
  // Its IdP signs in only addresses of a domain Helix verified (decision 018). The demo has no DNS:
  // Hana claimed helix.example and its TXT record is taken as found.
  if (!(await db().organizationDomain.findUnique({ where: { domain: 'helix.example' } }))) {
    await claimDomain(scope, { domain: 'helix.example' })
    await db().organizationDomain.update({ where: { domain: 'helix.example' }, data: { verifiedAt: now() } })
  }
  if ((await db().samlConnection.count({ where: { organizationId: helix.id } })) > 0) return
  await saveSamlConnection(scope, {
    name: 'Helix identity provider (local)',
    metadata: idp.metadata,
    defaultRole: 'partner_engineer',
    groupRoles: 'helix-finance = partner_finance\nhelix-it = partner_admin',
  })
}
