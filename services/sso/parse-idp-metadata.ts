import { X509Certificate } from 'node:crypto'
import { DOMParser } from '@xmldom/xmldom'
import { AppError } from '../platform/errors/app-error.ts'

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata'
const DS = 'http://www.w3.org/2000/09/xmldsig#'
const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect'

export interface IdpCertificate {
  pem: string
  subject: string
  notAfter: string
  sha256: string
}

/** A certificate as PEM, with what an admin needs to recognise it and to know when it expires. */
export function describeCertificate(text: string): IdpCertificate {
  const body = text.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '')
  const pem = `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,64}/g)?.join('\n') ?? ''}\n-----END CERTIFICATE-----\n`
  const x = new X509Certificate(pem)
  return {
    pem,
    subject: x.subject.replaceAll('\n', ', '),
    notAfter: new Date(x.validTo).toISOString(),
    sha256: x.fingerprint256,
  }
}

/**
 * An identity provider's metadata (Okta, Entra ID, Google Workspace, SimpleSAMLphp all publish it):
 * its entity id, its HTTP-Redirect sign-in URL and every signing certificate. No DOCTYPE, a size cap.
 */
export function parseIdpMetadata(xml: string) {
  const fail = (why: string) => {
    throw new AppError('invalid_input', 'Check the metadata.', { metadata: [why] })
  }
  if (xml.length > 500_000) fail('Metadata is at most 500 KB.')
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) fail('Metadata with a DOCTYPE is refused.')
  const errors: string[] = []
  const doc = new DOMParser({
    errorHandler: (level: string, msg: string) => {
      if (level !== 'warning') errors.push(msg)
    },
  }).parseFromString(xml, 'text/xml')
  if (errors.length || !doc?.documentElement) fail('This is not well-formed XML.')
  const entity = Array.from(doc.getElementsByTagNameNS(MD, 'EntityDescriptor'))[0]
  const entityId = entity?.getAttribute('entityID')
  if (!entity || !entityId) fail('No EntityDescriptor with an entityID: paste the IdP metadata, not the SP’s.')
  const idp = Array.from(entity!.getElementsByTagNameNS(MD, 'IDPSSODescriptor'))[0]
  if (!idp) fail('No IDPSSODescriptor: this metadata does not describe an identity provider.')
  const sso = Array.from(idp!.getElementsByTagNameNS(MD, 'SingleSignOnService')).find(
    (s) => s.getAttribute('Binding') === REDIRECT,
  )
  const ssoUrl = sso?.getAttribute('Location') ?? ''
  if (!/^https?:\/\//.test(ssoUrl)) fail('No HTTP-Redirect SingleSignOnService with an http(s) Location.')
  const certs = Array.from(idp!.getElementsByTagNameNS(MD, 'KeyDescriptor'))
    .filter((k) => (k.getAttribute('use') ?? 'signing') === 'signing')
    .flatMap((k) => Array.from(k.getElementsByTagNameNS(DS, 'X509Certificate')).map((c) => c.textContent ?? ''))
  if (certs.length === 0) fail('No signing certificate (KeyDescriptor use="signing").')
  let described: IdpCertificate[] = []
  try {
    described = [...new Map(certs.map((c) => describeCertificate(c)).map((c) => [c.sha256, c])).values()]
  } catch {
    fail('A signing certificate in the metadata cannot be read.')
  }
  return { entityId: entityId!, ssoUrl, certificates: described }
}
