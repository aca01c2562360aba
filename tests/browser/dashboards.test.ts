import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAppServer } from '../support/app-server.ts'
import { launchBrowser } from '../support/browser.ts'
import { passwordStep, signInOnPage } from '../support/browser-sign-in.ts'
import { createOrganization, createUser, ggmlOrganization, unique } from '../support/fixtures.ts'

let server: Awaited<ReturnType<typeof startAppServer>>
let browser: Browser
beforeAll(async () => {
  server = await startAppServer()
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
})

/** A client-side navigation changes the URL before the new page renders: wait for its heading. */
async function landOn(page: Page, url: string, heading: string | RegExp) {
  await page.waitForURL(url)
  await page.getByRole('heading', { level: 1, name: heading }).waitFor()
}

async function signIn(page: Page, email: string, password: string) {
  await page.goto(`${server.url}/login`)
  await passwordStep(page, email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

const navLinks = (page: Page) => page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()

describe('in the browser', () => {
  it('a partner signs in to their portal and sees only partner navigation', async () => {
    const org = await createOrganization('oem_partner', unique('Browser Silicon'))
    const user = await createUser(org.id, 'partner_admin')
    const page = await browser.newPage()
    await signIn(page, user.email, user.password)
    await landOn(page, `**/portal/${org.slug}`, org.name)
    expect(await navLinks(page)).toEqual([
      // What waits for the person's decision comes first, with its count (issue 29).
      expect.stringMatching(/^Inbox \d+$/),
      'Partner portal',
      'Contracts',
      'Royalty reports',
      'Invoices',
      'Statement',
      'Disputes',
      'Engagements',
      'Certification',
      'Team',
      'Webhooks',
      'Single sign-on',
      'Team training',
    ])
    await page.getByRole('main').getByRole('link', { name: 'Team and invitations' }).click()
    await page.waitForURL(`**/portal/${org.slug}/team`)
    await page.getByLabel('Email').fill('not an email')
    await page.getByRole('button', { name: 'Send invitation' }).click()
    // The message shows twice, in the summary and under its field: the field's own, once the answer is in.
    const message = page.locator('.field-message', { hasText: 'Enter a valid email address.' })
    await message.first().waitFor()
    expect(await message.count()).toBe(1)
    expect(await page.getByLabel('Email').getAttribute('aria-invalid')).toBe('true')
    await page.close()
  })

  it('an admin signs in to the admin dashboard and reaches the audit log', async () => {
    const admin = await createUser((await ggmlOrganization()).id, 'ggml_admin')
    const page = await browser.newPage()
    await signInOnPage(page, server.url, admin.email, admin.password)
    await landOn(page, `**/admin`, 'Admin')
    expect(await navLinks(page)).toEqual([
      expect.stringMatching(/^Inbox \d+$/),
      'Partners',
      'Contracts',
      'Finance',
      'Certification',
      'Services',
      'Training',
      'Rewards',
      'Admin',
    ])
    await page.getByRole('link', { name: 'Audit log' }).click()
    await landOn(page, '**/admin/audit', 'Audit log')
    await expect(page.getByRole('cell', { name: 'user.sign_in' }).first().textContent()).resolves.toBe('user.sign_in')
    await page.close()
  })

  it('a wrong password shows a clear error on the sign-in form', async () => {
    const page = await browser.newPage()
    await signIn(page, `${unique('nobody')}@example.test`, 'wrong password here')
    await expect(page.getByRole('alert').textContent()).resolves.toBe(
      'That email and password do not match an account.',
    )
    await page.close()
  })
})
