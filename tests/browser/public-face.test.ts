import { mkdirSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { db } from '../../services/platform/db/client.ts'
import { resetClock } from '../../services/platform/clock.ts'
import { newId } from '../../services/platform/db/ids.ts'
import { startAppServer } from '../support/app-server.ts'
import { launchBrowser } from '../support/browser.ts'
import { signInOnPage } from '../support/browser-sign-in.ts'
import { contributorWithLots } from '../support/credits.ts'
import { createOrganization, createUser, ggmlOrganization, TEST_PASSWORD, unique } from '../support/fixtures.ts'

// Issue 28: one public layout with ggml's identity, a front door, human error pages, and a platform that
// works on a phone. Screenshots of every page at both sizes go to SCREENSHOTS for a person to review.
const SCREENSHOTS = process.env.SCREENSHOT_DIR ?? '/tmp/ggml-public-face'
const DESKTOP = { width: 1440, height: 900 }
const PHONE = { width: 390, height: 844 }

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

/** A certified product with a badge as the runner would leave it: long CPU name, several backends. */
async function certifiedProduct() {
  const org = await createOrganization('oem_partner', unique('Framework Computer'))
  const requestId = newId()
  await db().certRequest.create({
    data: {
      id: requestId,
      organizationId: org.id,
      productName: 'Desktop Mainboard AI Max+ 395',
      sku: 'FRANMF0001-128GB',
      createdById: 'x',
    },
  })
  const runnerId = newId()
  await db().certRunner.create({
    data: {
      id: runnerId,
      organizationId: org.id,
      name: 'lab-runner-1',
      publicKey: 'MCowBQYDK2VwAyEA' + 'x'.repeat(60),
      secretHash: unique('h'),
      fingerprint: {},
    },
  })
  const jobId = newId()
  await db().certJob.create({
    data: {
      id: jobId,
      organizationId: org.id,
      requestId,
      status: 'completed',
      nonce: unique('n'),
      modelShape: '7b',
      modelType: 'Q4_0',
      modelSeed: 1,
      expectedModelSha256: 'f'.repeat(64),
      nPrompt: 512,
      nGen: 128,
      repetitions: 5,
    },
  })
  const resultId = newId()
  await db().certResult.create({
    data: {
      id: resultId,
      jobId,
      organizationId: org.id,
      runnerId,
      payload: {
        hardware: {
          cpu: { model: 'AMD RYZEN AI MAX+ 395 w/ Radeon 8060S', cores: 16, threads: 32, features: ['avx512f'] },
          memoryBytes: 128 * 2 ** 30,
          gpus: ['AMD Radeon 8060S Graphics (RADV GFX1151)'],
          os: { platform: 'linux', release: '6.14.0-29-generic', arch: 'x64' },
          llamaCpp: 'b6123 (a5b2f0e1c3d4e5f60718293a4b5c6d7e8f901234)',
        },
        model: { shape: '7b', type: 'Q4_0', seed: 1, sha256: 'f'.repeat(64), bytes: 3_825_000_000 },
        records: [
          { n_prompt: 512, n_gen: 0, avg_ts: 612.4, stddev_ts: 3.1, samples_ts: [609.1, 611, 612.8, 614.2, 615.1] },
          { n_prompt: 0, n_gen: 128, avg_ts: 41.8, stddev_ts: 0.2, samples_ts: [41.6, 41.7, 41.8, 41.9, 42] },
        ].map((r) => ({ ...r, n_threads: 16, backends: 'Vulkan', n_batch: 512, n_ubatch: 512, flash_attn: 1 })),
      },
      signature: 's'.repeat(88),
      checks: [{ check: 'model_sha256', ok: true, detail: `matches ${'f'.repeat(64)}` }],
      accepted: true,
    },
  })
  const badgeId = newId()
  await db().certBadge.create({
    data: {
      id: badgeId,
      organizationId: org.id,
      requestId,
      resultId,
      assurance: 'runner-verified',
      summary: {
        shape: '7b',
        type: 'Q4_0',
        pp: { n: 5, ts: 612.4, sd: 3.1 },
        tg: { n: 5, ts: 41.8, sd: 0.2 },
        cpu: 'AMD RYZEN AI MAX+ 395 w/ Radeon 8060S',
        backends: ['CPU', 'Vulkan', 'ROCm'],
      },
    },
  })
  return { org, badgeId }
}

/** A partner whose invoices and dashboard carry an amount as wide as the demo's ($451,200.00). */
async function partnerWithInvoice() {
  const org = await createOrganization('oem_partner', unique('Helios Devices'))
  const admin = await createUser(org.id, 'partner_admin')
  const entry = await db().journalEntry.create({
    data: {
      id: newId(),
      organizationId: org.id,
      currency: 'USD',
      idempotencyKey: unique('entry'),
      kind: 'adjustment',
      description: 'Q3 royalties',
      effectiveDate: new Date('2026-10-05'),
    },
  })
  await db().invoice.create({
    data: {
      id: newId(),
      organizationId: org.id,
      journalEntryId: entry.id,
      currency: 'USD',
      description: 'Royalties for units shipped in Q3 2026 under the OEM distribution agreement',
      lines: [{ description: 'Royalties Q3 2026', amountMinor: '45120000' }],
      amountDueMinor: 45_120_000n,
      amountRemainingMinor: 45_120_000n,
      status: 'open',
      number: unique('INV-2026'),
      issuedAt: new Date('2026-10-05'),
    },
  })
  return { org, admin }
}

async function open(page: Page, path: string) {
  const res = await page.goto(`${server.url}${path}`)
  await page.locator('main').waitFor()
  return res
}

const name = (path: string) => path.replaceAll(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '') || 'home'

async function shoot(page: Page, label: string, path: string) {
  await page.screenshot({ path: `${SCREENSHOTS}/${label}-${name(path)}.png`, fullPage: true })
}

/** The outstanding amount's KPI: does it fit its card, and on how many lines. */
const amountKpi = (page: Page) =>
  page
    .locator('.stat-value', { hasText: '$451,200.00' })
    .first()
    .evaluate((el) => ({
      fits: el.scrollWidth <= el.clientWidth,
      lines: Math.round(el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight)),
    }))

/** How far the page scrolls sideways: 0 when it fits the window. */
const sidewaysOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)

describe("ggml's public face (issue 28)", () => {
  it('every public page has the header, logo, navigation and footer, and fits a phone', async () => {
    const { badgeId } = await certifiedProduct()
    const year = new Date().getUTCFullYear()
    const pages = ['/', '/learn', '/certified', '/certification/log', `/badges/${badgeId}`]
    pages.push(`/rewards/recipients/${year}`, '/login', '/signup', '/forgot-password')
    for (const viewport of [DESKTOP, PHONE]) {
      const page = await browser.newPage({ viewport })
      for (const path of pages) {
        const res = await open(page, path)
        expect(res?.status(), path).toBe(200)
        const header = page.locator('header.site-header')
        await expect(header.locator('svg.logo-mark').count(), path).resolves.toBe(1)
        await expect(header.getByRole('link', { name: 'ggml, home' }).count(), path).resolves.toBe(1)
        if (viewport === PHONE) {
          // On a phone the navigation waits behind the menu button.
          const menu = page.getByRole('button', { name: 'Menu' })
          await expect(menu.getAttribute('aria-expanded'), path).resolves.toBe('false')
          await expect(page.getByRole('navigation', { name: 'Site' }).count(), path).resolves.toBe(0)
          await menu.click()
          await page.getByRole('navigation', { name: 'Site' }).getByRole('link', { name: 'Learn' }).waitFor()
          await menu.click()
        } else await expect(page.getByRole('navigation', { name: 'Site' }).count(), path).resolves.toBe(1)
        await expect(page.locator('footer.site-footer').getByText('Terms of service').count(), path).resolves.toBe(1)
        // The mark in the browser's tab too.
        expect(await page.locator('link[rel="icon"]').getAttribute('href'), path).toBe('/favicon.svg')
        await expect(page.getByRole('heading', { level: 1 }).count(), path).resolves.toBe(1)
        await shoot(page, viewport === PHONE ? 'phone' : 'desktop', path)
        if (viewport === PHONE) expect(await sidewaysOverflow(page), path).toBeLessThanOrEqual(0)
      }
      await page.close()
    }
  })

  it('the front door reaches each audience in one click', async () => {
    const page = await browser.newPage({ viewport: DESKTOP })
    await open(page, '/')
    for (const [link, lands] of [
      ['Sign in to the partner portal', '/login'],
      ['Browse certified hardware', '/certified'],
      ['See courses and the exam', '/learn'],
    ] as const) {
      await page.getByRole('link', { name: link }).click()
      await page.waitForURL(`**${lands}`)
      await page.goBack()
    }
    await expect(page.getByRole('link', { name: 'Become a partner' }).getAttribute('href')).resolves.toMatch(
      /^mailto:partners@ggml\.ai/,
    )
    await expect(page.getByRole('heading', { name: 'Contributors' }).count()).resolves.toBe(1)
    await page.close()
  })

  it('a page that does not exist says so in words, in the layout, with a way home', async () => {
    for (const viewport of [DESKTOP, PHONE]) {
      const page = await browser.newPage({ viewport })
      const res = await page.goto(`${server.url}/no/such/page-${unique('x')}`)
      expect(res?.status()).toBe(404)
      const text = await page.locator('body').innerText()
      expect(text).toContain('This page does not exist')
      expect(text).not.toContain('No route matches')
      expect(text).not.toMatch(/Error: |at .*\.js:\d+/)
      await expect(page.locator('header.site-header svg.logo-mark').count()).resolves.toBe(1)
      await expect(page.getByRole('link', { name: 'Go to the home page' }).getAttribute('href')).resolves.toBe('/')
      // Named in the browser's tab, and a search to look for what the visitor came for.
      expect(await page.title()).toBe('This page does not exist · ggml.ai')
      await page.getByRole('searchbox', { name: 'Search certified hardware' }).fill('Mainboard')
      await page.getByRole('button', { name: 'Search', exact: true }).click()
      await page.waitForURL((u) => u.pathname === '/certified' && u.searchParams.get('q') === 'Mainboard')
      await page.goBack()
      // The mark the tab shows (every page links it) is served.
      const icon = await page.request.get(`${server.url}/favicon.svg`)
      expect([icon.status(), icon.headers()['content-type']]).toEqual([200, 'image/svg+xml'])
      expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0)
      await shoot(page, viewport === PHONE ? 'phone' : 'desktop', '404')
      await page.close()
    }
  })

  it('signed in on a phone, the menu folds away and no page scrolls sideways', async () => {
    const { badgeId } = await certifiedProduct()
    const { org, admin } = await partnerWithInvoice()
    const finance = await createUser((await ggmlOrganization()).id, 'finance')
    const yesterday = new Date(Date.now() - 86_400_000).toISOString()
    const contributor = await contributorWithLots([{ amount: '2000', acceptAt: yesterday }])
    resetClock()
    const walks = [
      {
        who: admin,
        pages: [
          `/portal/${org.slug}`,
          `/portal/${org.slug}/invoices`,
          `/portal/${org.slug}/reports`,
          // Its invoice's long description is an option of the dispute form's select: the select shrinks.
          `/portal/${org.slug}/disputes`,
          `/badges/${badgeId}`,
          '/certified',
        ],
      },
      { who: finance, pages: ['/finance'] },
      {
        who: { email: contributor.email, password: TEST_PASSWORD },
        pages: [`/rewards/${contributor.organization.slug}`],
      },
    ]
    // On a wide screen the navigation shows in full and there is no menu button.
    const wide = await browser.newPage({ viewport: DESKTOP })
    await signInOnPage(wide, server.url, admin.email, admin.password)
    await open(wide, `/portal/${org.slug}/invoices`)
    await wide.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Invoices' }).waitFor()
    await expect(wide.getByRole('button', { name: 'Menu' }).count()).resolves.toBe(0)
    await expect(amountKpi(wide)).resolves.toEqual({ fits: true, lines: 1 })
    await shoot(wide, 'desktop-signed-in', `/portal/${org.slug}/invoices`)
    await wide.close()
    for (const walk of walks) {
      const page = await browser.newPage({ viewport: PHONE })
      await signInOnPage(page, server.url, walk.who.email, walk.who.password)
      for (const path of walk.pages) {
        await open(page, path)
        await shoot(page, 'phone-signed-in', path)
        const top = await page.locator('main').evaluate((m) => m.getBoundingClientRect().top)
        // The page itself starts on the first screen, under a one-line bar, not under the whole menu.
        expect(top, path).toBeLessThan(PHONE.height / 4)
        expect(await sidewaysOverflow(page), path).toBeLessThanOrEqual(0)
        if (path.endsWith('/invoices')) await expect(amountKpi(page), path).resolves.toEqual({ fits: true, lines: 1 })
      }
      // The menu opens, says so, and shows the navigation.
      await open(page, walk.pages[0]!)
      const menu = page.getByRole('button', { name: 'Menu' })
      await expect(menu.getAttribute('aria-expanded')).resolves.toBe('false')
      await menu.click()
      await expect(menu.getAttribute('aria-expanded')).resolves.toBe('true')
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link').first().waitFor()
      await page.getByRole('button', { name: 'Sign out' }).waitFor()
      await shoot(page, 'phone-menu-open', walk.pages[0]!)
      await page.close()
    }
  })
})
