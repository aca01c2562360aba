import { mkdirSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { OrganizationKind, Role } from '../../services/platform/db/generated/enums.ts'
import { startAppServer } from '../support/app-server.ts'
import { launchBrowser } from '../support/browser.ts'
import { signInOnPage } from '../support/browser-sign-in.ts'
import { createOrganization, createUser, ggmlOrganization, unique } from '../support/fixtures.ts'

// Issue 28: a phone is first-class. Every role signs in at 390 px, opens the menu, and visits every page
// its navigation offers: none may scroll sideways (scrollWidth ≤ innerWidth). Screenshots of each go to
// SCREENSHOT_DIR for a person to review. Issue 29: the same pages, widened to a laptop's 1440×900 without
// reloading, are at most 6,000 px tall: a longer list pages (decision 033) or collapses.
const SCREENSHOTS = `${process.env.SCREENSHOT_DIR ?? '/tmp/ggml-phone-walk'}/phone-walk`
const PHONE = { width: 390, height: 844 }
const LAPTOP = { width: 1440, height: 900 }
const TALLEST = 6_000

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

const walkers: { role: Role; kind: OrganizationKind | 'ggml' }[] = [
  { role: 'ggml_admin', kind: 'ggml' },
  { role: 'finance', kind: 'ggml' },
  { role: 'partner_manager', kind: 'ggml' },
  { role: 'services_lead', kind: 'ggml' },
  { role: 'instructor', kind: 'ggml' },
  { role: 'certification_engineer', kind: 'ggml' },
  { role: 'consultant', kind: 'ggml' },
  { role: 'partner_admin', kind: 'oem_partner' },
  { role: 'partner_finance', kind: 'oem_partner' },
  { role: 'partner_engineer', kind: 'oem_partner' },
  { role: 'partner_admin', kind: 'enterprise' },
  { role: 'learner', kind: 'learner' },
  { role: 'contributor', kind: 'contributor' },
]

/** Every page the signed-in person's navigation links to, read from the menu a phone opens. */
async function navigationPaths(page: Page): Promise<string[]> {
  const menu = page.getByRole('button', { name: 'Menu' })
  if (await menu.count()) await menu.click()
  const hrefs = await page
    .getByRole('navigation', { name: 'Main' })
    .locator('a[href^="/"]')
    .evaluateAll((links) => links.map((a) => new URL((a as HTMLAnchorElement).href).pathname))
  return [...new Set(hrefs)].filter((p) => p !== '/logout')
}

const sidewaysOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
const pageHeight = (page: Page) => page.evaluate(() => document.scrollingElement!.scrollHeight)
const fileName = (who: string, path: string) =>
  `${who}-${path.replaceAll(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '') || 'home'}.png`

describe('the platform on a phone (issue 28)', () => {
  it.each(walkers)(
    'a $role of a $kind organization reaches every page of its menu without sideways scrolling or 6,000 px pages',
    async (w) => {
      const org = w.kind === 'ggml' ? await ggmlOrganization() : await createOrganization(w.kind, unique('Phone Org'))
      const user = await createUser(org.id, w.role)
      const page = await browser.newPage({ viewport: PHONE })
      try {
        await signInOnPage(page, server.url, user.email, user.password)
        const paths = await navigationPaths(page)
        expect(paths.length, 'the menu lists pages').toBeGreaterThan(0)
        const wide: string[] = []
        const tall: string[] = []
        for (const path of paths) {
          const res = await page.goto(`${server.url}${path}`)
          expect(res?.status(), path).toBeLessThan(400)
          await page.locator('main').waitFor()
          const overflow = await sidewaysOverflow(page)
          if (overflow > 0) wide.push(`${path} scrolls ${overflow} px sideways`)
          await page.screenshot({ path: `${SCREENSHOTS}/${fileName(`${w.kind}-${w.role}`, path)}`, fullPage: true })
          await page.setViewportSize(LAPTOP)
          const height = await pageHeight(page)
          if (height > TALLEST) tall.push(`${path} is ${height} px tall at 1440×900`)
          await page.setViewportSize(PHONE)
        }
        expect(wide).toEqual([])
        expect(tall).toEqual([])
      } finally {
        await page.close()
      }
    },
  )
})
