import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bootLocalSamlIdp, type LocalSamlIdp } from '../../fakes/saml-idp/local-saml-idp.ts'
import { db } from '../../services/platform/db/client.ts'
import { saveSamlConnection } from '../../services/sso/save-saml-connection.ts'
import { startAppServer } from '../support/app-server.ts'
import { scopeFor } from '../support/contracts.ts'
import { createOrganization, createUser, unique, verifiedDomain } from '../support/fixtures.ts'
import { freePort } from '../support/simplesamlphp.ts'

let server: Awaited<ReturnType<typeof startAppServer>>
let idp: LocalSamlIdp
const domain = `${unique('local-idp')}.example`
const email = `${unique('ivy')}@${domain}`
beforeAll(async () => {
  server = await startAppServer()
  idp = await bootLocalSamlIdp({
    port: await freePort(),
    users: [{ email, name: 'Ivy Finance', password: 'idp-pass', groups: ['finance'] }],
  })
})
afterAll(async () => {
  await idp.close()
  await server.close()
})

describe("the demo's local identity provider", () => {
  it('signs a person in to the platform, SP-initiated, through HTTP-Redirect and HTTP-POST', async () => {
    const org = await createOrganization('enterprise', unique('Local IdP Corp'))
    await verifiedDomain(org.id, domain)
    const admin = await createUser(org.id, 'partner_admin')
    const { id } = await saveSamlConnection(await scopeFor(admin.id, org.id, 'sso.configure'), {
      name: 'Local',
      metadata: await (await fetch(idp.metadataUrl)).text(),
      defaultRole: 'partner_engineer',
      groupRoles: 'finance = partner_finance',
    })
    const start = await fetch(`${server.url}/sso/${id}/login?returnTo=%2Fportal`, { redirect: 'manual' })
    const toIdp = start.headers.get('location')!
    expect(toIdp.startsWith(`${idp.url}/sso?SAMLRequest=`)).toBe(true)
    const form = await (await fetch(toIdp)).text()
    const field = (name: string, html: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)![1]!
    const signedIn = await fetch(`${idp.url}/sso/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        id: field('id', form),
        acs: field('acs', form).replaceAll('&#58;', ':'),
        sp: field('sp', form),
        relay: field('relay', form).replaceAll('&#47;', '/').replaceAll('&#37;', '%'),
        email,
        password: 'idp-pass',
      }),
    })
    const post = await signedIn.text()
    const acs = await fetch(`${server.url}/sso/${id}/acs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ SAMLResponse: field('SAMLResponse', post), RelayState: '/portal' }),
      redirect: 'manual',
    })
    expect([acs.status, acs.headers.get('location')]).toEqual([302, '/portal'])
    expect(acs.headers.get('set-cookie')).toMatch(/__session=/)
    const user = await db().user.findUniqueOrThrow({ where: { email }, include: { memberships: true } })
    expect(user.memberships.map((m) => m.role)).toEqual(['partner_finance'])
  })
})
