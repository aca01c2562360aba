import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { db } from '../../services/platform/db/client.ts'
import { acsUrl, spEntityId } from '../../services/sso/saml-client.ts'
import { startAppServer } from '../support/app-server.ts'
import { launchBrowser } from '../support/browser.ts'
import { passwordStep } from '../support/browser-sign-in.ts'
import { createOrganization, createUser, unique, verifiedDomain } from '../support/fixtures.ts'
import { startSimpleSamlPhp, type LocalIdp } from '../support/simplesamlphp.ts'

let server: Awaited<ReturnType<typeof startAppServer>>
let browser: Browser
let idp: LocalIdp
const anaDomain = `${unique('sso-browser')}.example`
const ana = { login: 'ana', password: 'ana-idp-password', email: `${unique('ana')}@${anaDomain}` }

beforeAll(async () => {
  server = await startAppServer()
  browser = await launchBrowser()
  idp = await startSimpleSamlPhp({
    [ana.login]: { password: ana.password, email: ana.email, name: 'Ana Admin', groups: ['staff', 'it-admins'] },
  })
})
afterAll(async () => {
  await idp?.close()
  await browser?.close()
  await server?.close()
})

describe('single sign-on through a real identity provider (SimpleSAMLphp)', () => {
  it('the admin configures the connection, and a user signs in through the IdP with the mapped role', async () => {
    const org = await createOrganization('enterprise', unique('Browser Enterprise'))
    await verifiedDomain(org.id, anaDomain)
    const admin = await createUser(org.id, 'partner_admin')

    // The organization's admin imports the IdP's metadata and maps a group to a role.
    const a = await browser.newPage()
    a.setDefaultTimeout(15_000)
    await a.goto(`${server.url}/login`)
    await passwordStep(a, admin.email)
    await a.getByLabel('Password').fill(admin.password)
    await a.getByRole('button', { name: 'Sign in', exact: true }).click()
    await a.waitForURL((u) => !u.pathname.startsWith('/login'))
    await a.goto(`${server.url}/portal/${org.slug}/sso`)
    const metadata = await (await fetch(idp.metadataUrl)).text()
    await a.getByLabel('Name').fill('SimpleSAMLphp')
    await a.getByLabel('IdP metadata XML').fill(metadata)
    await a.getByLabel(/IdP groups to roles/).fill('it-admins = partner_admin')
    await a.getByRole('button', { name: 'Add connection' }).click()
    await a.getByText('Saved “SimpleSAMLphp”.').waitFor()
    await a.getByText('ACS URL').waitFor()
    await a.close()
    const connection = await db().samlConnection.findFirstOrThrow({ where: { organizationId: org.id } })
    expect(connection.idpEntityId).toBe(idp.entityId)
    // The IdP's admin registers us, as they would from our SP metadata.
    idp.trustServiceProvider(spEntityId(connection.id), acsUrl(connection.id))

    // A user of the organization signs in from /login through the IdP: her email's domain takes her there.
    const p = await browser.newPage()
    p.setDefaultTimeout(15_000)
    await p.goto(`${server.url}/login`)
    await p.getByLabel('Email').fill(ana.email)
    await p.getByRole('button', { name: 'Continue', exact: true }).click()
    await p.waitForURL((u) => u.origin === idp.url)
    await p.locator('#username').fill(ana.login)
    await p.locator('#password').fill(ana.password)
    await p.locator('#submit_button, button[type=submit], input[type=submit]').first().click()
    await p.waitForURL((u) => u.origin === server.url && !u.pathname.startsWith('/login'), { timeout: 20_000 })
    await p.getByText('Ana Admin').first().waitFor()
    const user = await db().user.findUniqueOrThrow({ where: { email: ana.email }, include: { memberships: true } })
    expect(user.memberships.map((m) => [m.organizationId, m.role])).toEqual([[org.id, 'partner_admin']])
    expect(await db().auditEvent.count({ where: { action: 'user.sso_sign_in', targetId: user.id } })).toBe(1)
    await p.close()
  })
})
