import { randomUUID } from 'node:crypto'
import { SAML, ValidateInResponseTo, type CacheProvider } from '@node-saml/node-saml'
import { appUrl } from '../platform/config/env.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { now, nowMs } from '../platform/clock.ts'

/** How long an AuthnRequest we sent may be answered. */
export const REQUEST_TTL_MS = 10 * 60 * 1000
/** The most two clocks may disagree. */
export const CLOCK_SKEW_MS = 60 * 1000

export interface Connection {
  id: string
  idpEntityId: string
  idpSsoUrl: string
  idpCertificates: string[]
  allowIdpInitiated: boolean
}

/** This platform as the service provider of one connection: its entity id and assertion consumer URL. */
export const spEntityId = (connectionId: string) => `${appUrl()}/sso/${connectionId}`
export const acsUrl = (connectionId: string) => `${appUrl()}/sso/${connectionId}/acs`

/**
 * The requests we sent, kept in PostgreSQL (not in a process's memory) so that any web process
 * accepts the answer. node-saml saves the id when it builds the request and reads it back when the
 * response names it; the consume step deletes it, so an id is answered once.
 */
const requestStore = (connectionId: string): CacheProvider => ({
  async saveAsync(key, value) {
    await unscopedDb('sign-in').samlRequest.create({
      data: { id: key, connectionId, expiresAt: new Date(nowMs() + REQUEST_TTL_MS), createdAt: now() },
    })
    return { value, createdAt: nowMs() }
  },
  async getAsync(key) {
    const r = await unscopedDb('sign-in').samlRequest.findFirst({
      where: { id: key, connectionId, expiresAt: { gt: now() } },
    })
    // node-saml reads the value back as the request's creation time.
    return r ? r.createdAt.toISOString() : null
  },
  // node-saml removes an id once it has validated the response; the consume step does that itself,
  // in the transaction that signs the person in, so that a refusal after this point keeps nothing.
  async removeAsync(key) {
    return key
  },
})

/** node-saml configured as strictly as it goes: both signatures, SHA-256, audience, issuer, InResponseTo. */
export function samlClient(c: Connection): SAML {
  return new SAML({
    callbackUrl: acsUrl(c.id),
    entryPoint: c.idpSsoUrl,
    issuer: spEntityId(c.id),
    audience: spEntityId(c.id),
    idpIssuer: c.idpEntityId,
    idpCert: c.idpCertificates,
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: true,
    signatureAlgorithm: 'sha256',
    digestAlgorithm: 'sha256',
    acceptedClockSkewMs: CLOCK_SKEW_MS,
    validateInResponseTo: c.allowIdpInitiated ? ValidateInResponseTo.ifPresent : ValidateInResponseTo.always,
    requestIdExpirationPeriodMs: REQUEST_TTL_MS,
    cacheProvider: requestStore(c.id),
    generateUniqueId: () => `_${randomUUID()}`,
    identifierFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
    disableRequestedAuthnContext: true,
  })
}
