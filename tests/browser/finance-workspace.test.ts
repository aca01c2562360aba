import { mkdirSync } from 'node:fs'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hybridTerms } from '../../services/rating/sample-terms.ts'
import { db } from '../../services/platform/db/client.ts'
import { newId } from '../../services/platform/db/ids.ts'
import { travelTo } from '../../services/platform/clock.ts'
import { startAppServer } from '../support/app-server.ts'
import { launchBrowser } from '../support/browser.ts'
import { signInOnPage } from '../support/browser-sign-in.ts'
import { createUser, ggmlOrganization } from '../support/fixtures.ts'
import { report, row, signedContractFor } from '../support/royalties.ts'
import { AFTER_THE_DATA } from '../support/time.ts'

// The first screen as finance sees it, for the note and a person's review.
const SCREENSHOTS = process.env.SCREENSHOT_DIR ?? '.data/screenshots'

let server: Awaited<ReturnType<typeof startAppServer>>
let browser: Browser
beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true })
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
    const filed = await report(c.partnerScope, c.contract.id, '2027-Q1', [row('Premium', 1000)])
    // Its invoice fell due on 2028-12-01: 32 days late today, in the 31–60 bucket.
    await db().invoice.create({
      data: {
        id: newId(),
        organizationId: c.partner.id,
        journalEntryId: (await db().royaltyReport.findUniqueOrThrow({ where: { id: filed.reportId } })).journalEntryId!,
        currency: 'USD',
        description: 'Royalties 2027-Q1',
        lines: [],
        amountDueMinor: 28_000_000n,
        amountRemainingMinor: 28_000_000n,
        status: 'open',
        dueDate: new Date('2028-12-01T00:00:00Z'),
      },
    })
    const finance = await createUser((await ggmlOrganization()).id, 'finance')
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    page.setDefaultTimeout(10_000)
    await signInOnPage(page, server.url, finance.email, finance.password)
    await page.goto(`${server.url}/finance`)

    // Who owes what and since when, on the first screen: every headline figure with its value, the
    // aging bar with its buckets, the tabs and the start of the receivables aging.
    const strip = page.getByRole('region', { name: 'Headline figures' })
    for (const key of ['outstanding', 'overdue', 'collected', 'dso', 'guarantee-shortfall', 'recognised']) {
      const box = await strip.locator(`[data-figure="${key}"] .fin-kpi-value`).boundingBox()
      expect(box!.y + box!.height, key).toBeLessThanOrEqual(900)
    }
    const bar = page.getByRole('region', { name: 'Open invoices by days past due' })
    const barBox = await bar.boundingBox()
    expect(barBox!.y + barBox!.height).toBeLessThanOrEqual(900)
    const aging = await page.getByRole('heading', { name: 'Receivables aging (open invoices)' }).boundingBox()
    expect(aging!.y).toBeLessThan(900)
    await page.screenshot({ path: `${SCREENSHOTS}/finance-home-1440x900.png` })
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

    // A bucket of the aging bar opens its invoices; the partner's is there.
    await page.goto(`${server.url}/finance`)
    await bar
      .getByRole('link', { name: /^31–60 days late/ })
      .first()
      .click()
    await page.waitForURL((u) => u.searchParams.get('aging') === '31-60')
    const list = page.getByRole('region', { name: /^Open invoices, 31–60 days late/ })
    await list.getByRole('link', { name: c.partner.name }).waitFor()
    await page.close()
  })
})
