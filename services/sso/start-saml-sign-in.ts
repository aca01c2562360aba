import { unscopedDb } from '../platform/db/unscoped.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { safeRedirect } from '../platform/security/safe-redirect.ts'
import { samlClient } from './saml-client.ts'

/**
 * SP-initiated sign-in: the IdP's sign-in URL carrying a fresh AuthnRequest, whose id is kept until it
 * is answered. RelayState carries only where to go afterwards (a local path, checked again on return).
 */
export async function startSamlSignIn(connectionId: string, returnTo: unknown): Promise<string> {
  const c = await unscopedDb('sign-in').samlConnection.findUnique({ where: { id: connectionId } })
  if (!c || !c.enabled) throw new AppError('not_found', 'No such single sign-on connection.')
  return samlClient(c).getAuthorizeUrlAsync(safeRedirect(returnTo), undefined, {})
}

/** The connection the company sign-in form reaches by the organization's short name, or null. */
export async function ssoConnectionFor(organizationSlug: string): Promise<{ id: string } | null> {
  const slug = organizationSlug.trim().toLowerCase()
  if (!/^[a-z0-9-]{1,80}$/.test(slug)) return null
  return unscopedDb('sign-in').samlConnection.findFirst({
    where: { enabled: true, organization: { slug } },
    orderBy: { createdAt: 'asc' },
    select: { id: true },
  })
}
