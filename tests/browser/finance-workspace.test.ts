import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hybridTerms } from '../../services/contracts/sample-terms.ts'
import { travelTo } from '../../services/platform/clock.ts'
import { startAppServer } from '../support/app-server.ts'
import { launchBrowser } from '../support/browser.ts'
import { signInOnPage } from '../support/browser-sign-in.ts'
import { createUser, ggmlOrganization } from '../support/fixtures.ts'
import { report, row, signedContractFor } from '../support/royalties.ts'
import { AFTER_THE_DATA } from '../support/time.ts'

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

describe('finance’s workspace in the browser', () => {
  it('answers who owes what above the fold at 1440×900, says how figures are computed, switches tabs', async () => {
    travelTo(AFTER_THE_DATA)
    const c = await signedContractFor(
      hybridTerms({ term: { start: '2027-01-01', end: '2029-12-31', renewal: { kind: 'none' } } }),
    )
    await report(c.partnerScope, c.contract.id, '2027-Q1', [row('Premium', 1000)])
    const finance = await createUser((await ggmlOrganization()).id, 'finance')
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    page.setDefaultTimeout(10_000)
    await signInOnPage(page, server.url, finance.email, finance.password)
    await page.goto(`${server.url}/finance`)

    // The figures, the tabs and the aging start within the first screen.
    for (const name of ['Receivables outstanding', 'Overdue', 'Cash received this month']) {
      const box = await page.getByText(name, { exact: true }).boundingBox()
      expect(box!.y + box!.height).toBeLessThan(900)
    }
    const aging = await page.getByRole('heading', { name: 'Receivables aging (open invoices)' }).boundingBox()
    expect(aging!.y).toBeLessThan(900)
    const tabs = page.getByRole('navigation', { name: 'Finance sections' })
    expect(await tabs.getByRole('link', { name: 'Receivables' }).getAttribute('aria-current')).toBe('page')

    // How a figure is computed, on demand.
    const outstanding = page.locator('[data-figure="outstanding"]')
    expect(await outstanding.getAttribute('title')).toContain('receivable accounts')
    await outstanding.getByText('How it is computed').click()
    expect(await outstanding.getByText(/balance of the receivable accounts/).isVisible()).toBe(true)

    // The ledger tab: a link, rendered by the server, marked current; accounts by name.
    await tabs.getByRole('link', { name: 'Ledger' }).click()
    await page.waitForURL((u) => u.searchParams.get('tab') === 'ledger')
    expect(await tabs.getByRole('link', { name: 'Ledger' }).getAttribute('aria-current')).toBe('page')
    expect(await tabs.getByRole('link', { name: 'Receivables' }).getAttribute('aria-current')).toBeNull()
    await page
      .getByRole('cell', { name: /^Royalties receivable/ })
      .first()
      .waitFor()
    await page.close()
  })
})
