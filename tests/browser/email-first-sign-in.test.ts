import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bootLocalSamlIdp, type LocalSamlIdp } from '../../fakes/saml-idp/local-saml-idp.ts'
import { db } from '../../services/platform/db/client.ts'
import { saveSamlConnection } from '../../services/sso/save-saml-connection.ts'
import { startAppServer } from '../support/app-server.ts'
import { launchBrowser } from '../support/browser.ts'
import { scopeFor } from '../support/contracts.ts'
import { createOrganization, createUser, unique, verifiedDomain } from '../support/fixtures.ts'
import { freePort } from '../support/simplesamlphp.ts'

// Issue 28: sign-in asks for the email first. A verified domain whose organization signs in with SAML goes
// straight to its identity provider; every other address, with an account or without, gets the same
// password step, so the page tells nobody whether an account exists.
let server: Awaited<ReturnType<typeof startAppServer>>
let browser: Browser
let idp: LocalSamlIdp
const ssoDomain = `${unique('email-first')}.example`
const ivy = `${unique('ivy')}@${ssoDomain}`

beforeAll(async () => {
  server = await startAppServer()
  browser = await launchBrowser()
  idp = await bootLocalSamlIdp({
    port: await freePort(),
    users: [{ email: ivy, name: 'Ivy Engineer', password: 'idp-pass', groups: [] }],
  })
})
afterAll(async () => {
  await idp?.close()
  await browser?.close()
  await server?.close()
})

const emailStep = async (page: Page, email: string, redirectTo?: string) => {
  await page.goto(`${server.url}/login${redirectTo ? `?redirectTo=${encodeURIComponent(redirectTo)}` : ''}`)
  expect(await page.getByLabel('Password').count()).toBe(0)
  await page.getByLabel('Email').fill(email)
  await page.getByRole('button', { name: 'Continue', exact: true }).click()
}

describe('email-first sign-in', () => {
  it('sends an SSO domain to its identity provider, and back to where the person was going', async () => {
    const org = await createOrganization('enterprise', unique('Email First Corp'))
    await verifiedDomain(org.id, ssoDomain)
    const admin = await createUser(org.id, 'partner_admin')
    await saveSamlConnection(await scopeFor(admin.id, org.id, 'sso.configure'), {
      name: 'Local',
      metadata: await (await fetch(idp.metadataUrl)).text(),
      defaultRole: 'partner_engineer',
    })
    const page = await browser.newPage()
    page.setDefaultTimeout(15_000)
    await emailStep(page, ivy.toUpperCase(), `/portal/${org.slug}`)
    await page.waitForURL((u) => u.origin === idp.url)
    expect(await page.getByLabel('Password').count()).toBe(1) // the IdP's own password, not ours
    await page.getByLabel('Password').fill('idp-pass')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL((u) => u.origin === server.url && u.pathname === `/portal/${org.slug}`, { timeout: 20_000 })
    await page.getByRole('heading', { level: 1 }).waitFor()
    const user = await db().user.findUniqueOrThrow({ where: { email: ivy }, include: { memberships: true } })
    expect(user.memberships.map((m) => m.organizationId)).toEqual([org.id])

    // An address of that domain with no account goes there too: the domain decides, never an account.
    const other = await browser.newPage()
    await emailStep(other, `nobody-${unique('n')}@${ssoDomain}`)
    await other.waitForURL((u) => u.origin === idp.url)
    await other.close()
    await page.close()
  })

  it('gives any other address the password step, the same whether or not the account exists', async () => {
    const org = await createOrganization('oem_partner', unique('Password Corp'))
    const user = await createUser(org.id, 'partner_engineer')
    const page = await browser.newPage()
    page.setDefaultTimeout(15_000)

    const seen = async (email: string) => {
      await emailStep(page, email, `/portal/${org.slug}/certification`)
      await page.getByLabel('Password').waitFor()
      expect(new URL(page.url()).origin).toBe(server.url)
      // The email is kept for the password step.
      expect(await page.getByLabel('Email').inputValue()).toBe(email.toLowerCase())
      // The cursor waits in the password field, so the person types on without reaching for the mouse.
      expect(await page.getByLabel('Password').evaluate((el) => el === document.activeElement)).toBe(true)
      return (await page.getByRole('main').innerText()).replaceAll(email.toLowerCase(), '<email>')
    }
    const known = await seen(user.email)
    const unknown = await seen(`nobody-${unique('x')}@example.test`)
    expect(unknown).toBe(known)
    // No placeholder names anyone (the old company form's named a customer).
    expect(await page.locator('main [placeholder]').count()).toBe(0)

    // The password step signs in as before, to the page asked for.
    await seen(user.email)
    await page.getByLabel('Password').fill('not the password')
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page.getByText('That email and password do not match an account.').waitFor()
    expect(await page.getByLabel('Email').inputValue()).toBe(user.email)
    await page.getByLabel('Password').fill(user.password)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page.waitForURL((u) => u.pathname === `/portal/${org.slug}/certification`)
    await page.close()
  })

  it('keeps a password for someone of an SSO domain who asks for it', async () => {
    const page = await browser.newPage()
    page.setDefaultTimeout(15_000)
    await page.goto(`${server.url}/login`)
    await page.getByRole('link', { name: 'Use a password instead' }).click()
    await page.getByLabel('Password').waitFor()
    expect(await page.getByLabel('Email').count()).toBe(1)
    expect(await page.getByRole('button', { name: 'Sign in', exact: true }).count()).toBe(1)
    await page.close()
  })
})
