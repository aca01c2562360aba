import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { reloadEnv } from '../../services/config/env.ts'
import { db } from '../../services/db/client.ts'
import { claimDomain, setDomainSso, verifyDomain } from '../../services/sso/organization-domains.ts'
import { saveSamlConnection } from '../../services/sso/save-saml-connection.ts'
import { startAppServer } from '../support/app-server.ts'
import { scopeFor } from '../support/contracts.ts'
import { startDnsServer } from '../support/dns-server.ts'
import { createOrganization, createUser, unique } from '../support/fixtures.ts'
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
    // Another organization cannot claim it, and an unverified claim changes nothing.
    const other = await createOrganization('enterprise', unique('Squatter'))
    const squatter = await createUser(other.id, 'partner_admin')
    await expect(claimDomain(await scopeFor(squatter.id, other.id, 'sso.configure'), { domain })).rejects.toThrow(
      /claimed by another organization/,
    )
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
      `signs in with single sign-on: use “Company single sign-on” below, organization “${org.slug}”`,
    )
    expect(await db().session.count({ where: { userId: member.id } })).toBe(0)
    // Other domains sign in with passwords as before.
    await new HttpClient(server.url).signIn(admin.email, admin.password)
  })
})
