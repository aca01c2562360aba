import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { db } from '../../services/platform/db/client.ts'
import { startAppServer } from '../support/app-server.ts'
import { launchBrowser } from '../support/browser.ts'
import { signInOnPage } from '../support/browser-sign-in.ts'
import { termsStartingToday } from '../support/contracts.ts'
import { signedContractFor } from '../support/royalties.ts'

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

/** An admin on the API tokens page makes an ERP token; returns the page showing it once. */
async function makeErpToken(page: Page, c: Awaited<ReturnType<typeof signedContractFor>>) {
  page.setDefaultTimeout(15_000)
  await signInOnPage(page, server.url, c.partnerAdmin.email, c.partnerAdmin.password)
  await page.goto(`${server.url}/portal/${c.partner.slug}/api-tokens`)
  await page.getByLabel('Name').fill('ERP nightly export')
  await page.getByLabel(/ERP report filing/).check()
  await page.getByRole('button', { name: 'Create token' }).click()
  await page.getByText('Copy this token now').waitFor()
  return (await page.locator('code.secret').textContent())!
}

describe('a new API token in the browser', () => {
  it('copies the token with one click, and shows a curl example with the real contract', async () => {
    const c = await signedContractFor(termsStartingToday())
    const context = await browser.newContext()
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url })
    const page = await context.newPage()
    const secret = await makeErpToken(page, c)
    expect(secret).toMatch(/^ggml_pat_/)
    await page.getByRole('button', { name: 'Copy the token' }).click()
    await page.getByRole('button', { name: 'Copied the token' }).waitFor()
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret)
    const example = await page.locator('pre code').textContent()
    expect(example).toContain(`${server.url}/api/v1/reports?contractId=${c.contract.id}&period=`)
    expect(example).toContain(`Bearer ${secret}`)
    expect((await db().apiToken.findFirstOrThrow({ where: { organizationId: c.partner.id } })).scopes).toEqual([
      'reports:write',
      'reports:read',
    ])
    await context.close()
  })

  it('selects the token for Ctrl+C where the browser offers no clipboard', async () => {
    const c = await signedContractFor(termsStartingToday())
    const context = await browser.newContext()
    // navigator.clipboard exists only in secure contexts; a deployment on plain http has none.
    await context.addInitScript(() => Object.defineProperty(navigator, 'clipboard', { value: undefined }))
    const page = await context.newPage()
    const secret = await makeErpToken(page, c)
    await page.getByRole('button', { name: 'Copy the token' }).click()
    await page.getByText('Selected: press Ctrl+C.').waitFor()
    expect(await page.evaluate(() => window.getSelection()?.toString())).toBe(secret)
    await context.close()
  })
})
