import { DOMParser, XMLSerializer } from '@xmldom/xmldom'
import { beforeAll, describe, expect, it } from 'vitest'
import { db } from '../../services/platform/db/client.ts'
import { metrics } from '../../services/platform/observability/metrics.ts'
import { consumeSamlResponse } from '../../services/sso/consume-saml-response.ts'
import { acsUrl, spEntityId } from '../../services/sso/saml-client.ts'
import { SamlRefusal } from '../../services/sso/saml-refusal.ts'
import { saveSamlConnection } from '../../services/sso/save-saml-connection.ts'
import { startSamlSignIn } from '../../services/sso/start-saml-sign-in.ts'
import { scopeFor } from '../support/contracts.ts'
import { createOrganization, createUser, ggmlOrganization, unique, verifiedDomain } from '../support/fixtures.ts'
import { ALG, b64, idpKeys, idpMetadata, responseXml, type ResponseOptions } from '../support/saml-idp.ts'

const IDP = 'https://idp.example.test/saml'
let org: { id: string; slug: string }
let connectionId: string
let domain: string
let idpInitiatedId: string
const current = idpKeys('idp-2026')
const rotated = idpKeys('idp-2027')
const attacker = idpKeys('attacker')

beforeAll(async () => {
  org = await createOrganization('enterprise', unique('SSO Corp'))
  domain = await verifiedDomain(org.id)
  const admin = await createUser(org.id, 'partner_admin')
  const scope = await scopeFor(admin.id, org.id, 'sso.configure')
  const metadata = idpMetadata(IDP, `${IDP}/sso`, [current.cert, rotated.cert])
  connectionId = (
    await saveSamlConnection(scope, {
      name: 'Okta',
      metadata,
      defaultRole: 'partner_engineer',
      groupRoles: 'ggml-admins = partner_admin\nfinance = partner_finance',
    })
  ).id
  idpInitiatedId = (
    await saveSamlConnection(scope, {
      name: 'Okta (IdP-initiated)',
      metadata,
      defaultRole: 'partner_engineer',
      allowIdpInitiated: true,
    })
  ).id
})

/** A fresh AuthnRequest's id, as the browser's trip through /sso/<id>/login leaves it. */
async function requestId(id = connectionId): Promise<string> {
  await startSamlSignIn(id, '/')
  const r = await db().samlRequest.findFirstOrThrow({ where: { connectionId: id }, orderBy: { createdAt: 'desc' } })
  return r.id
}

async function base(overrides: Partial<ResponseOptions> = {}, id = connectionId): Promise<ResponseOptions> {
  return {
    idpEntityId: IDP,
    spEntityId: spEntityId(id),
    acsUrl: acsUrl(id),
    email: `${unique('ana')}@${domain}`,
    inResponseTo: await requestId(id),
    groups: ['engineering'],
    keys: current,
    ...overrides,
  }
}

/** Posts a response to the consumer: 'ok', or the reason it was refused (which must be audited). */
async function outcome(xml: string, id = connectionId): Promise<string> {
  try {
    await consumeSamlResponse(id, { SAMLResponse: b64(xml), RelayState: '/portal' })
    return 'ok'
  } catch (err) {
    if (!(err instanceof SamlRefusal)) throw err
    const audited = await db().auditEvent.findFirst({
      where: { action: 'sso.refused', targetId: id },
      orderBy: { seq: 'desc' },
    })
    expect((audited?.changes as { reason?: string } | null)?.reason).toBe(err.reason)
    return err.reason
  }
}

/** A change made by hand to a signed response, which must really have changed it. */
const tamper = (before: string, after: string) => {
  expect(after).not.toBe(before)
  return after
}

const parse = (xml: string) => new DOMParser().parseFromString(xml, 'text/xml')
const serialize = (d: Document | Element) => new XMLSerializer().serializeToString(d as never)
const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion'
const DS = 'http://www.w3.org/2000/09/xmldsig#'
const el = (d: Document | Element, ns: string, name: string) => Array.from(d.getElementsByTagNameNS(ns, name))

/** The eight XML signature wrapping variants, built from a validly signed response. */
function xsw(signed: string, variant: number): string {
  const doc = parse(signed)
  const root = doc.documentElement!
  const original = el(doc, SAML, 'Assertion')[0]!
  const evilAssertion = () => {
    const e = original.cloneNode(true) as Element
    e.setAttribute('ID', '_evil')
    el(e, SAML, 'NameID')[0]!.textContent = 'admin@ggml.example'
    return e
  }
  const stripSignature = (e: Element) => {
    for (const s of el(e, DS, 'Signature')) if (s.parentNode === e) e.removeChild(s)
    return e
  }
  const rootSignature = () =>
    Array.from(root.childNodes).find((n) => (n as Element).localName === 'Signature') as Element
  switch (variant) {
    case 1: {
      // An unsigned evil Response wraps the signature, which holds the original signed Response.
      const evil = root.cloneNode(true) as Element
      evil.setAttribute('ID', '_evil-response')
      el(evil, SAML, 'NameID')[0]!.textContent = 'admin@ggml.example'
      const sig = Array.from(evil.childNodes).find((n) => (n as Element).localName === 'Signature') as Element
      sig.appendChild(root.cloneNode(true))
      return serialize(evil)
    }
    case 2: {
      // The same, with the original Response beside the signature (detached).
      const evil = root.cloneNode(true) as Element
      evil.setAttribute('ID', '_evil-response')
      el(evil, SAML, 'NameID')[0]!.textContent = 'admin@ggml.example'
      const sig = Array.from(evil.childNodes).find((n) => (n as Element).localName === 'Signature') as Element
      evil.insertBefore(root.cloneNode(true), sig)
      return serialize(evil)
    }
    case 3:
      // An evil assertion before the signed one.
      root.insertBefore(stripSignature(evilAssertion()), original)
      return serialize(doc)
    case 4: {
      // An evil assertion that holds the signed one.
      const evil = stripSignature(evilAssertion())
      root.replaceChild(evil, original)
      evil.appendChild(original)
      return serialize(doc)
    }
    case 5: {
      // The evil assertion keeps the original's signature; the original, unsigned, goes to the end.
      const evil = evilAssertion()
      evil.setAttribute('ID', original.getAttribute('ID')!)
      root.replaceChild(evil, original)
      root.appendChild(stripSignature(original))
      return serialize(doc)
    }
    case 6: {
      // The original assertion hidden inside the evil one's signature.
      const evil = evilAssertion()
      root.replaceChild(evil, original)
      el(evil, DS, 'Signature')[0]!.appendChild(stripSignature(original))
      return serialize(doc)
    }
    case 7: {
      // The original assertion in an Extensions element; the evil one is the Response's assertion.
      const ext = doc.createElementNS('urn:oasis:names:tc:SAML:2.0:protocol', 'samlp:Extensions')
      root.insertBefore(ext, rootSignature().nextSibling)
      root.replaceChild(stripSignature(evilAssertion()), original)
      ext.appendChild(original)
      return serialize(doc)
    }
    default: {
      // The evil assertion's signature holds an Object with the original, unsigned, assertion.
      const evil = evilAssertion()
      root.replaceChild(evil, original)
      const obj = doc.createElementNS(DS, 'ds:Object')
      obj.appendChild(stripSignature(original))
      el(evil, DS, 'Signature')[0]!.appendChild(obj)
      return serialize(doc)
    }
  }
}

describe('SAML single sign-on refuses every known attack, with its reason', () => {
  it('signs in a valid response (also one signed with the rotated certificate) with the mapped role', async () => {
    const o = await base({ groups: ['engineering', 'ggml-admins'] })
    expect(await outcome(responseXml(o))).toBe('ok')
    const user = await db().user.findUniqueOrThrow({ where: { email: o.email }, include: { memberships: true } })
    expect(user.memberships.map((m) => [m.organizationId, m.role])).toEqual([[org.id, 'partner_admin']])
    const rotatedOne = await base({ keys: rotated, groups: ['finance'] })
    expect(await outcome(responseXml(rotatedOne))).toBe('ok')
    expect((await db().membership.findFirstOrThrow({ where: { user: { email: rotatedOne.email } } })).role).toBe(
      'partner_finance',
    )
    const text = await metrics().registry.getSingleMetricAsString('saml_login_total')
    expect(text).toMatch(/saml_login_total\{result="success",reason="none"\} [1-9]/)
  })

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('refuses signature wrapping XSW%i', async (variant) => {
    const reason = await outcome(xsw(responseXml(await base()), variant))
    expect(['multiple_responses', 'assertion_count']).toContain(reason)
    expect(
      await db().user.count({
        where: { email: 'admin@ggml.example', memberships: { some: { organizationId: org.id } } },
      }),
    ).toBe(0)
  })

  it('refuses comments, a second SignedInfo, weak algorithms and a foreign certificate', async () => {
    const ana = `ana@${domain}`
    const valid = responseXml(await base({ email: ana }))
    // A comment in the NameID: canonicalization drops it, so the signature still verifies.
    expect(
      await outcome(tamper(valid, valid.replace(`${ana}</saml:NameID>`, `${ana}<!---->.evil</saml:NameID>`))),
    ).toBe('xml_comment')
    expect(await outcome(tamper(valid, valid.replace(/(<(?:ds:)?DigestValue>[^<]{4})/, '$1<!-- x -->')))).toBe(
      'xml_comment',
    )
    const twoSignedInfo = tamper(valid, valid.replace(/(<(?:ds:)?SignedInfo>[\s\S]*?<\/(?:ds:)?SignedInfo>)/, '$1$1'))
    expect(await outcome(twoSignedInfo)).toBe('signed_info_count')
    expect(await outcome(responseXml(await base({ signatureAlgorithm: ALG.rsaSha1, digestAlgorithm: ALG.sha1 })))).toBe(
      'weak_algorithm',
    )
    const hmac = tamper(valid, valid.replaceAll(ALG.rsaSha256, 'http://www.w3.org/2000/09/xmldsig#hmac-sha1'))
    expect(await outcome(hmac)).toBe('weak_algorithm')
    // Signed by a key whose certificate rides in KeyInfo but is not the connection's.
    expect(await outcome(responseXml(await base({ keys: attacker })))).toBe('bad_signature')
  })

  it('refuses unsigned parts, failures, extra or encrypted assertions, DOCTYPEs and oversize responses', async () => {
    expect(await outcome(responseXml(await base({ signAssertion: false })))).toBe('bad_signature')
    expect(await outcome(responseXml(await base({ signResponse: false })))).toBe('bad_signature')
    expect(await outcome(responseXml(await base({ status: 'urn:oasis:names:tc:SAML:2.0:status:Responder' })))).toBe(
      'idp_status',
    )
    const valid = responseXml(await base())
    const assertion = /<saml:Assertion[\s\S]*<\/saml:Assertion>/.exec(valid)![0]
    expect(await outcome(tamper(valid, valid.replace(assertion, assertion + assertion)))).toBe('assertion_count')
    expect(
      await outcome(
        tamper(
          valid,
          valid.replace(
            assertion,
            `${assertion}<saml:EncryptedAssertion><xenc:EncryptedData ` +
              'xmlns:xenc="http://www.w3.org/2001/04/xmlenc#"/></saml:EncryptedAssertion>',
          ),
        ),
      ),
    ).toBe('encrypted_assertion')
    expect(await outcome(`<!DOCTYPE r [<!ENTITY e "admin@ggml.example">]>${valid}`)).toBe('doctype')
    expect(await outcome(tamper(valid, valid.replace('<saml:Issuer>', `<saml:Issuer>${' '.repeat(300_000)}`)))).toBe(
      'oversize',
    )
  })

  it('refuses the wrong time, audience, recipient, destination, issuer and InResponseTo, and replays', async () => {
    const past = new Date(Date.now() - 10 * 60_000)
    expect(
      await outcome(responseXml(await base({ notBefore: new Date(past.getTime() - 60_000), notOnOrAfter: past }))),
    ).toBe('time_window')
    const future = new Date(Date.now() + 5 * 60_000)
    expect(
      await outcome(responseXml(await base({ notBefore: future, notOnOrAfter: new Date(future.getTime() + 60_000) }))),
    ).toBe('time_window')
    expect(await outcome(responseXml(await base({ audience: 'https://evil.example/sp' })))).toBe('audience')
    expect(await outcome(responseXml(await base({ recipient: 'https://evil.example/acs' })))).toBe('recipient')
    expect(await outcome(responseXml(await base({ destination: 'https://evil.example/acs' })))).toBe('destination')
    expect(await outcome(responseXml(await base({ issuer: 'https://evil.example/idp' })))).toBe('issuer')
    expect(await outcome(responseXml(await base({ inResponseTo: '_never-sent' })))).toBe('unknown_in_response_to')
    // IdP-initiated (no InResponseTo) is off unless the admin turned it on.
    expect(await outcome(responseXml(await base({ inResponseTo: null })))).toBe('missing_in_response_to')
    // Replays: an SP-initiated response answers its request once; an IdP-initiated assertion is used once.
    const once = responseXml(await base())
    expect(await outcome(once)).toBe('ok')
    expect(await outcome(once)).toBe('unknown_in_response_to')
    const idpInitiated = responseXml(await base({ inResponseTo: null }, idpInitiatedId))
    expect(await outcome(idpInitiated, idpInitiatedId)).toBe('ok')
    expect(await outcome(idpInitiated, idpInitiatedId)).toBe('replay')
  })

  it('never signs in an account of another organization, whatever email the IdP asserts', async () => {
    const other = await createOrganization('oem_partner', unique('Elsewhere'))
    const victim = await createUser(other.id, 'partner_admin', `${unique('victim')}@${unique('elsewhere')}.example`)
    expect(await outcome(responseXml(await base({ email: victim.email })))).toBe('domain_not_verified')
    // Even in the organization's own domain, an account that also belongs elsewhere is the person's.
    const shared = await createUser(org.id, 'partner_engineer', `${unique('dual')}@${domain}`)
    await db().membership.create({
      data: { id: unique('m'), userId: shared.id, organizationId: other.id, role: 'partner_admin' },
    })
    expect(await outcome(responseXml(await base({ email: shared.email })))).toBe('account_elsewhere')
    expect(await db().membership.count({ where: { userId: victim.id } })).toBe(1)
  })
})

describe('who an identity provider may sign in (issue 25, decision 018)', () => {
  it('creates accounts only in a domain the organization verified', async () => {
    const email = `${unique('new')}@${unique('unverified')}.example`
    expect(await outcome(responseXml(await base({ email })))).toBe('domain_not_verified')
    expect(await db().user.count({ where: { email } })).toBe(0)
  })

  it('never reaches an account that has no membership there, such as someone removed', async () => {
    const removed = await createUser(org.id, 'partner_admin', `${unique('gone')}@${domain}`)
    await db().membership.deleteMany({ where: { userId: removed.id } })
    expect(await outcome(responseXml(await base({ email: removed.email, groups: ['ggml-admins'] })))).toBe(
      'no_membership',
    )
    expect(await db().membership.count({ where: { userId: removed.id } })).toBe(0)
    expect(await db().session.count({ where: { userId: removed.id } })).toBe(0)
  })

  it('never signs anyone in with a staff domain, even a future address, nor lets it be claimed', async () => {
    const ggml = await ggmlOrganization()
    const staffDomain = `${unique('staff')}.example`
    await createUser(ggml.id, 'finance', `${unique('fin')}@${staffDomain}`)
    // Whatever the organization's records say (here written behind the claim check's back).
    await db().organizationDomain.create({
      data: { domain: staffDomain, organizationId: org.id, verifiedAt: new Date(), createdById: 'test' },
    })
    const newHire = `new-hire@${staffDomain}`
    expect(await outcome(responseXml(await base({ email: newHire, groups: ['ggml-admins'] })))).toBe('staff_domain')
    expect(await db().user.count({ where: { email: newHire } })).toBe(0)
  })

  it('refuses an assertion that claims to be valid for longer than two hours, and keeps no replay record', async () => {
    const r = await base({ notOnOrAfter: new Date(Date.now() + 365 * 24 * 3600_000) })
    // Both NotOnOrAfters, Conditions and SubjectConfirmationData, say a year.
    const year = responseXml(r)
    expect(await outcome(year)).toBe('assertion_lifetime')
    expect(
      await db().samlAssertionUse.count({ where: { expiresAt: { gt: new Date(Date.now() + 3 * 3600_000) } } }),
    ).toBe(0)
  })

  it('keeps the last admin an admin whatever the groups say, and says so in the log', async () => {
    const solo = await createOrganization('enterprise', unique('Solo'))
    const soloDomain = await verifiedDomain(solo.id)
    const hana = await createUser(solo.id, 'partner_admin', `${unique('hana')}@${soloDomain}`)
    const scope = await scopeFor(hana.id, solo.id, 'sso.configure')
    const id = (
      await saveSamlConnection(scope, {
        name: 'Solo IdP',
        metadata: idpMetadata(IDP, `${IDP}/sso`, [current.cert]),
        defaultRole: 'partner_engineer',
      })
    ).id
    expect(await outcome(responseXml(await base({ email: hana.email, groups: [] }, id)), id)).toBe('ok')
    expect((await db().membership.findFirstOrThrow({ where: { userId: hana.id } })).role).toBe('partner_admin')
    const logged = await db().auditEvent.findFirstOrThrow({
      where: { action: 'user.sso_sign_in', targetId: hana.id },
      orderBy: { seq: 'desc' },
    })
    expect(logged.changes).toMatchObject({ keptLastAdmin: true, groupsMapTo: 'partner_engineer' })
  })

  it.each(['/\\evil.example', '/\t/evil.example', '//evil.example', 'https://evil.example', '/%2F%2Fevil.example'])(
    'sends the person home, not to %j, after the round trip',
    async (relay) => {
      const r = await consumeSamlResponse(connectionId, {
        SAMLResponse: b64(responseXml(await base())),
        RelayState: relay,
      })
      expect(r.returnTo).toBe('/')
    },
  )
})
