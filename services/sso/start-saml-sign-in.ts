import { db } from '../db/client.ts'
import { AppError } from '../errors/app-error.ts'
import { samlClient } from './saml-client.ts'

/**
 * SP-initiated sign-in: the IdP's sign-in URL carrying a fresh AuthnRequest, whose id is kept until it
 * is answered. RelayState carries only where to go afterwards (a local path, checked again on return).
 */
export async function startSamlSignIn(connectionId: string, returnTo: string): Promise<string> {
  const c = await db().samlConnection.findUnique({ where: { id: connectionId } })
  if (!c || !c.enabled) throw new AppError('not_found', 'No such single sign-on connection.')
  const relay = returnTo.startsWith('/') && !returnTo.startsWith('//') ? returnTo : '/'
  return samlClient(c).getAuthorizeUrlAsync(relay, undefined, {})
}
