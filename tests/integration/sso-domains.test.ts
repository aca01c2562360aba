import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { reloadEnv } from '../../services/platform/config/env.ts'
import { db } from '../../services/platform/db/client.ts'
import { claimDomain, setDomainSso, verifyDomain } from '../../services/sso/organization-domains.ts'
import { saveSamlConnection } from '../../services/sso/save-saml-connection.ts'
import { startAppServer } from '../support/app-server.ts'
import { scopeFor } from '../support/contracts.ts'
import { startDnsServer } from '../support/dns-server.ts'
import { createOrganization, createUser, ggmlOrganization, unique } from '../support/fixtures.ts'
import { HttpClient } from '../support/http-client.ts'
import { idpKeys, idpMetadata } from '../support/saml-idp.ts'

const txt = new Map<string, string[]>()
let dns: Awaited<ReturnType<typeof startDnsServer>>
let server: Awaited<ReturnType<typeof startAppServer>>
beforeAll(async () => {
  dns = await startDnsServer(txt)
  server = await startAppServer()
  process.env.DNS_SERVERS = dns.address
  reloadEnv()
})
afterAll(async () => {
  dns.close()
  delete process.env.DNS_SERVERS
  reloadEnv()
  await server.close()
})

describe('verified domains that require single sign-on', () => {
  it('are proved by a DNS TXT record, then refuse password sign-in, saying where to sign in', async () => {
    const org = await createOrganization('enterprise', unique('Domain Corp'))
    const admin = await createUser(org.id, 'partner_admin')
    const domain = `${unique('corp')}.example`
    const member = await createUser(org.id, 'partner_finance', `pat@${domain}`)
    const scope = await scopeFor(admin.id, org.id, 'sso.configure')
    const { record } = await claimDomain(scope, { domain: domain.toUpperCase() })
    // Another organization may claim it too: an unverified claim changes nothing and blocks nobody.
    const other = await createOrganization('enterprise', unique('Squatter'))
    const squatter = await createUser(other.id, 'partner_admin')
    await claimDomain(await scopeFor(squatter.id, other.id, 'sso.configure'), { domain })
    await expect(setDomainSso(scope, { domain, requireSso: true })).rejects.toThrow(/Verify the domain/)
    await expect(verifyDomain(scope, { domain })).rejects.toThrow(/No TXT record/)
    txt.set(domain, ['v=spf1 -all', record])
    await verifyDomain(scope, { domain })
    await expect(setDomainSso(scope, { domain, requireSso: true })).rejects.toThrow(/Add an enabled SAML connection/)
    await saveSamlConnection(scope, {
      name: 'Okta',
      metadata: idpMetadata('https://idp.domain.example', 'https://idp.domain.example/sso', [idpKeys().cert]),
      defaultRole: 'partner_engineer',
    })
    await setDomainSso(scope, { domain, requireSso: true })

    const c = new HttpClient(server.url)
    await c.get('/login')
    const res = await c.post('/login', { email: member.email, password: member.password })
    expect(res.status).toBe(403)
    expect(await res.text()).toContain(
      `signs in with single sign-on (${org.slug}): enter your email alone and choose Continue`,
    )
    expect(await db().session.count({ where: { userId: member.id } })).toBe(0)
    // Other domains sign in with passwords as before.
    await new HttpClient(server.url).signIn(admin.email, admin.password)
  })
})

describe('a password sign-in at a domain with optional company sign-in (issue 28)', () => {
  it('is pointed to company sign-in, whether or not the account exists; other domains learn nothing', async () => {
    const org = await createOrganization('enterprise', unique('Optional Sso Corp'))
    const admin = await createUser(org.id, 'partner_admin')
    const domain = `${unique('optional')}.example`
    const member = await createUser(org.id, 'partner_engineer', `sam@${domain}`)
    const scope = await scopeFor(admin.id, org.id, 'sso.configure')
    const { record } = await claimDomain(scope, { domain })
    txt.set(domain, [record])
    await verifyDomain(scope, { domain })
    await saveSamlConnection(scope, {
      name: 'Okta',
      metadata: idpMetadata('https://idp.optional.example', 'https://idp.optional.example/sso', [idpKeys().cert]),
      defaultRole: 'partner_engineer',
    })
    const c = new HttpClient(server.url)
    await c.get('/login')
    const told = async (email: string) => (await c.post('/login', { email, password: 'not-her-password' })).text()
    const hint = `${domain} has company sign-in (${org.slug}): enter your email alone and choose Continue`
    expect(await told(member.email)).toContain(hint)
    expect(await told(`nobody-${unique('x')}@${domain}`)).toContain(hint)
    // A domain without company sign-in: the same words for an account that exists and one that does not.
    const plain = await told(admin.email)
    expect(plain).toContain('That email and password do not match an account.')
    expect(plain).not.toContain('company sign-in')
    expect(await told(`nobody-${unique('y')}@example.org`)).toContain(
      'That email and password do not match an account.',
    )
    // The right password still works: company sign-in is optional there.
    await new HttpClient(server.url).signIn(member.email, member.password)
  })
})

describe('domain claims that nobody can squat on (issue 25)', () => {
  it('an unverified claim blocks nobody: the organization whose TXT record is in DNS verifies it', async () => {
    const domain = `${unique('squat')}.example`
    const squatterOrg = await createOrganization('enterprise', unique('Squatter'))
    const squatter = await createUser(squatterOrg.id, 'partner_admin')
    const squatterScope = await scopeFor(squatter.id, squatterOrg.id, 'sso.configure')
    await claimDomain(squatterScope, { domain })
    const ownerOrg = await createOrganization('enterprise', unique('Owner'))
    const owner = await createUser(ownerOrg.id, 'partner_admin')
    const scope = await scopeFor(owner.id, ownerOrg.id, 'sso.configure')
    const { record } = await claimDomain(scope, { domain })
    // The squatter claims it back at once; the proof decides, not the order of claims.
    await claimDomain(squatterScope, { domain })
    await expect(verifyDomain(squatterScope, { domain })).rejects.toThrow(/No TXT record/)
    txt.set(domain, [record])
    await verifyDomain(scope, { domain })
    const d = await db().organizationDomain.findUniqueOrThrow({ where: { domain } })
    expect([d.organizationId, d.verifiedAt]).toEqual([ownerOrg.id, expect.any(Date)])
    // A verified domain stays its owner's.
    await expect(claimDomain(squatterScope, { domain })).rejects.toThrow(/verified by another organization/)
    expect((await db().organizationDomain.findUniqueOrThrow({ where: { domain } })).organizationId).toBe(ownerOrg.id)
  })

  it("no organization can claim ggml staff's domain", async () => {
    const ggml = await ggmlOrganization()
    const staffDomain = `${unique('ggml-staff')}.example`
    await createUser(ggml.id, 'ggml_admin', `boss@${staffDomain}`)
    const org = await createOrganization('enterprise', unique('Pretender'))
    const admin = await createUser(org.id, 'partner_admin')
    const scope = await scopeFor(admin.id, org.id, 'sso.configure')
    for (const domain of [staffDomain, staffDomain.toUpperCase(), `mail.${staffDomain}`, `sso.${staffDomain}.`])
      await expect(claimDomain(scope, { domain })).rejects.toThrow(/ggml staff domain|Check the domain/)
    expect(await db().organizationDomain.count({ where: { domain: { endsWith: staffDomain } } })).toBe(0)
  })
})
