import { generateServiceProviderMetadata } from '@node-saml/node-saml'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { acsUrl, spEntityId } from './saml-client.ts'

/** The SP metadata of one connection: its entity id, ACS URL, and that assertions must be signed. */
export async function spMetadata(connectionId: string): Promise<string> {
  const c = await unscopedDb('sign-in').samlConnection.findUnique({ where: { id: connectionId }, select: { id: true } })
  if (!c) throw new AppError('not_found', 'No such single sign-on connection.')
  return generateServiceProviderMetadata({
    issuer: spEntityId(c.id),
    callbackUrl: acsUrl(c.id),
    identifierFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
    wantAssertionsSigned: true,
  })
}
