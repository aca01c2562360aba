import { randomUUID } from 'node:crypto'
import { SignedXml } from 'xml-crypto'

// A SAML 2.0 identity provider's side, as tests and the demo's local IdP need it: responses signed
// with xml-crypto like a real IdP's, and IdP metadata. Used against the platform, never inside it.

export const ALG = {
  rsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  rsaSha1: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
  sha1: 'http://www.w3.org/2000/09/xmldsig#sha1',
  excC14n: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  enveloped: 'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
}

export interface ResponseOptions {
  idpEntityId: string
  spEntityId: string
  acsUrl: string
  email: string
  inResponseTo?: string | null
  groups?: string[]
  destination?: string
  recipient?: string
  audience?: string
  issuer?: string
  notBefore?: Date
  notOnOrAfter?: Date
  status?: string
  /** Which parts are signed (both by default) and with what. */
  signResponse?: boolean
  signAssertion?: boolean
  keys: { key: string; cert: string }
  signatureAlgorithm?: string
  digestAlgorithm?: string
}

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z')

/** A SAML 2.0 Response as an IdP builds it, signed with xml-crypto like a real one. Returns the XML. */
export function responseXml(o: ResponseOptions): string {
  const now = new Date()
  const notBefore = o.notBefore ?? new Date(now.getTime() - 30_000)
  const notOnOrAfter = o.notOnOrAfter ?? new Date(now.getTime() + 5 * 60_000)
  const irt = o.inResponseTo ? ` InResponseTo="${o.inResponseTo}"` : ''
  const responseId = `_r${randomUUID()}`
  const assertionId = `_a${randomUUID()}`
  const groups = (o.groups ?? []).map((g) => `<saml:AttributeValue>${g}</saml:AttributeValue>`).join('')
  const ns = {
    saml: 'urn:oasis:names:tc:SAML:2.0:assertion',
    samlp: 'urn:oasis:names:tc:SAML:2.0:protocol',
    email: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
    bearer: 'urn:oasis:names:tc:SAML:2.0:cm:bearer',
    password: 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport',
    success: 'urn:oasis:names:tc:SAML:2.0:status:Success',
  }
  const issuer = `<saml:Issuer>${o.issuer ?? o.idpEntityId}</saml:Issuer>`
  const confirmation =
    `<saml:SubjectConfirmationData${irt} NotOnOrAfter="${iso(notOnOrAfter)}" ` +
    `Recipient="${o.recipient ?? o.acsUrl}"/>`
  const assertion =
    `<saml:Assertion xmlns:saml="${ns.saml}" ID="${assertionId}" Version="2.0" IssueInstant="${iso(now)}">` +
    issuer +
    `<saml:Subject><saml:NameID Format="${ns.email}">${o.email}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="${ns.bearer}">${confirmation}</saml:SubjectConfirmation></saml:Subject>` +
    `<saml:Conditions NotBefore="${iso(notBefore)}" NotOnOrAfter="${iso(notOnOrAfter)}">` +
    `<saml:AudienceRestriction><saml:Audience>${o.audience ?? o.spEntityId}</saml:Audience>` +
    `</saml:AudienceRestriction></saml:Conditions>` +
    `<saml:AuthnStatement AuthnInstant="${iso(now)}" SessionIndex="_s${randomUUID()}"><saml:AuthnContext>` +
    `<saml:AuthnContextClassRef>${ns.password}</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
    `<saml:AttributeStatement>` +
    `<saml:Attribute Name="email"><saml:AttributeValue>${o.email}</saml:AttributeValue></saml:Attribute>` +
    `<saml:Attribute Name="groups">${groups}</saml:Attribute></saml:AttributeStatement>` +
    `</saml:Assertion>`
  let xml =
    `<samlp:Response xmlns:samlp="${ns.samlp}" xmlns:saml="${ns.saml}" ID="${responseId}" Version="2.0" ` +
    `IssueInstant="${iso(now)}" Destination="${o.destination ?? o.acsUrl}"${irt}>` +
    issuer +
    `<samlp:Status><samlp:StatusCode Value="${o.status ?? ns.success}"/></samlp:Status>` +
    (o.status ? '' : assertion) +
    `</samlp:Response>`
  const sign = (doc: string, target: string) => {
    const sig = new SignedXml({
      privateKey: o.keys.key,
      publicCert: o.keys.cert,
      signatureAlgorithm: (o.signatureAlgorithm ?? ALG.rsaSha256) as never,
      canonicalizationAlgorithm: ALG.excC14n,
    })
    sig.addReference({
      xpath: `//*[local-name(.)='${target}']`,
      digestAlgorithm: o.digestAlgorithm ?? ALG.sha256,
      transforms: [ALG.enveloped, ALG.excC14n],
    })
    sig.computeSignature(doc, {
      location: { reference: `//*[local-name(.)='${target}']/*[local-name(.)='Issuer']`, action: 'after' },
    })
    return sig.getSignedXml()
  }
  if (o.signAssertion !== false && !o.status) xml = sign(xml, 'Assertion')
  if (o.signResponse !== false) xml = sign(xml, 'Response')
  return xml
}

export const b64 = (xml: string) => Buffer.from(xml, 'utf8').toString('base64')

/** IdP metadata for a connection: what an admin pastes from Okta, Entra ID or SimpleSAMLphp. */
export const idpMetadata = (entityId: string, ssoUrl: string, certs: string[]) =>
  `<?xml version="1.0"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" ` +
  `xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${entityId}">` +
  `<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">` +
  certs
    .map(
      (c) =>
        `<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${c.replace(
          /-----(BEGIN|END) CERTIFICATE-----|\s/g,
          '',
        )}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`,
    )
    .join('') +
  `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${ssoUrl}"/>` +
  `</md:IDPSSODescriptor></md:EntityDescriptor>`
