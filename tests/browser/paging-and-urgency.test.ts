import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { recordAuditEvent } from '../../services/platform/audit/record-audit-event.ts'
import { db } from '../../services/platform/db/client.ts'
import { travelTo } from '../../services/platform/clock.ts'
import { startAppServer } from '../support/app-server.ts'
import { launchBrowser } from '../support/browser.ts'
import { signInOnPage } from '../support/browser-sign-in.ts'
import { contributorWithLots } from '../support/credits.ts'
import { createUser, ggmlOrganization, TEST_PASSWORD, unique } from '../support/fixtures.ts'

// Issue 29: money that expires says so, louder as the day nears; a paged, filtered list survives a reload.
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

async function signedInPage(email: string, password: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage()
  page.setDefaultTimeout(8000)
  await signInOnPage(page, server.url, email, password)
  return page
}

describe('the contributor’s expiry banner', () => {
  it('is absent from 30 days left, amber under 30, red under 7, with the amount and a link to spend', async () => {
    // Accepted on 2027-03-01: the lot's last day is 2028-03-01.
    const c = await contributorWithLots([{ amount: '1766.61', acceptAt: '2027-03-01T10:00:00Z' }])
    const at = async (instant: string) => {
      travelTo(instant)
      const page = await signedInPage(c.email, TEST_PASSWORD)
      await page.goto(`${server.url}/rewards/${c.organization.slug}`)
      await page.getByRole('heading', { name: 'Your GGML Cloud credits' }).waitFor()
      return page
    }

    const calm = await at('2028-02-01T12:00:00Z') // 30 days of use left, today included
    expect(await calm.locator('.urgency-banner').count()).toBe(0)
    await calm.context().close()

    for (const [instant, days, urgency, colour] of [
      ['2028-02-02T12:00:00Z', 29, 'amber', 'rgb(178, 94, 0)'],
      ['2028-02-18T08:00:00Z', 13, 'amber', 'rgb(178, 94, 0)'],
      ['2028-02-24T23:00:00Z', 7, 'amber', 'rgb(178, 94, 0)'],
      ['2028-02-25T00:30:00Z', 6, 'red', 'rgb(180, 35, 24)'],
    ] as const) {
      const page = await at(instant)
      const banner = page.locator('.urgency-banner')
      await expect(banner.getAttribute('data-urgency')).resolves.toBe(urgency)
      expect(await banner.textContent()).toContain(`$1,766.61 of your credits expire in ${days} days`)
      expect(await banner.textContent()).toContain('100% of your balance')
      await expect(banner.evaluate((e) => getComputedStyle(e).borderLeftColor)).resolves.toBe(colour)
      await expect(
        banner.getByRole('link', { name: 'Use your credits on GGML Cloud' }).getAttribute('href'),
      ).resolves.toMatch(/^https:\/\//)
      await page.context().close()
    }

    const lastDay = await at('2028-03-01T18:00:00Z')
    await expect(lastDay.locator('.urgency-banner').textContent()).resolves.toContain('expire at the end of today')
    await expect(lastDay.getByRole('alert').first().textContent()).resolves.toContain('$1,766.61')
    await lastDay.context().close()
  })
})

describe('a paged, filtered list', () => {
  it('keeps its filter and page in the URL: Next, then a reload, shows the same rows', async () => {
    const admin = await createUser((await ggmlOrganization()).id, 'ggml_admin')
    const action = unique('browser.paging').replace('-', '_')
    for (let i = 1; i <= 55; i++)
      await db().$transaction((tx) =>
        recordAuditEvent(tx, {
          actor: null,
          organizationId: null,
          action,
          targetType: 'paging',
          changes: { n: i },
        }),
      )
    const page = await signedInPage(admin.email, admin.password)
    await page.goto(`${server.url}/admin/audit`)
    await page.getByLabel('Action contains').fill(action)
    await page.getByRole('button', { name: 'Apply' }).click()
    await page.getByText('Showing 1–50 of 55 events').first().waitFor()
    await page.getByRole('link', { name: 'Next →' }).first().click()
    await page.getByText('Showing 51–55 of 55 events').first().waitFor()
    expect(new URL(page.url()).searchParams.get('page')).toBe('2')
    expect(new URL(page.url()).searchParams.get('action')).toBe(action)

    await page.reload()
    await page.getByText('Showing 51–55 of 55 events').first().waitFor()
    await expect(page.getByLabel('Action contains').inputValue()).resolves.toBe(action)
    expect(await page.locator('tbody tr').count()).toBe(5)
    await page.getByRole('link', { name: '← Previous' }).first().click()
    await page.getByText('Showing 1–50 of 55 events').first().waitFor()
    await page.context().close()
  })
})
