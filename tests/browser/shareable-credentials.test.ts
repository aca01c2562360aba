import { mkdirSync, writeFileSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { db } from '../../services/platform/db/client.ts'
import { newId } from '../../services/platform/db/ids.ts'
import { startAppServer } from '../support/app-server.ts'
import { launchBrowser } from '../support/browser.ts'
import { acceptedResultRows } from '../support/certification.ts'
import { issuedCertificate } from '../support/certificates.ts'
import { createOrganization, unique } from '../support/fixtures.ts'
import { livingAt } from '../support/time.ts'

// Issue 28: a certificate and a badge people are proud to share, opened as a visitor would at both sizes,
// and the picture their link previews with. Screenshots (pages and preview images) go to SCREENSHOTS.
const SCREENSHOTS = process.env.SCREENSHOT_DIR ?? '/tmp/ggml-public-face'
const DESKTOP = { width: 1440, height: 900 }
const PHONE = { width: 390, height: 844 }
livingAt('2026-12-07T10:00:00Z')

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

async function visitor(viewport: { width: number; height: number }) {
  const context = await browser.newContext({ viewport })
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url })
  return context.newPage()
}

const sizeName = (viewport: { width: number }) => (viewport === PHONE ? 'phone' : 'desktop')

/** The page's Open Graph and Twitter card tags, as a social site's crawler reads them. */
const ogTags = (page: Page) =>
  page.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll('meta[property^="og:"], meta[name^="twitter:"]')].map((m) => [
        m.getAttribute('property') ?? m.getAttribute('name'),
        m.getAttribute('content'),
      ]),
    ),
  )

/**
 * The preview image as served (type, caching) and as drawn: its size, and the colour of the verdict band across
 * its bottom, read from its pixels in the browser. Saved beside the screenshots for review.
 */
async function previewImage(page: Page, url: string, label: string) {
  const res = await page.request.get(url)
  writeFileSync(`${SCREENSHOTS}/og-${label}.png`, await res.body())
  const drawn = await page.evaluate(async (src) => {
    const img = new Image()
    img.src = src
    await img.decode()
    const canvas = document.createElement('canvas')
    canvas.width = img.naturalWidth
    canvas.height = img.naturalHeight
    const ctx = canvas.getContext('2d')!
    ctx.drawImage(img, 0, 0)
    const [r, g, b] = ctx.getImageData(20, img.naturalHeight - 20, 1, 1).data
    return { width: img.naturalWidth, height: img.naturalHeight, rgb: [r, g, b] }
  }, url)
  const [r, g] = drawn.rgb as [number, number, number]
  return {
    type: res.headers()['content-type'],
    cache: res.headers()['cache-control'],
    width: drawn.width,
    height: drawn.height,
    band: g > r + 40 ? 'green' : r > g + 40 ? 'red' : 'other',
  }
}

const sidewaysOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)

describe('a certificate to share (issue 28)', () => {
  it('shows the certificate with its standing in words, and offers the PDF, LinkedIn and its link', async () => {
    const { certificate: c, exam } = await issuedCertificate({
      holderName: 'Dana Developer',
      issuedAt: '2026-03-14T09:30:00Z',
      expiresAt: '2028-03-14T09:30:00Z',
    })
    const url = `${server.url}/certificates/${c.id}`
    for (const viewport of [DESKTOP, PHONE]) {
      const page = await visitor(viewport)
      expect((await page.goto(url))?.status()).toBe(200)
      expect(await page.getByTestId('certificate-verdict').innerText()).toContain(
        'Valid — verified by ggml on 7 December 2026',
      )
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(exam.title)
      expect(await page.getByTestId('certificate-holder').innerText()).toBe('Dana Developer')
      const sheet = page.locator('article.certificate-sheet')
      const words = (await sheet.innerText()).replace(/\s+/g, ' ')
      expect(words).toContain('Issued 14 March 2026')
      expect(words).toContain('Valid until 14 March 2028')
      expect(words).toContain(c.id)
      await expect(sheet.locator('svg.certificate-seal').count()).resolves.toBe(1)
      await expect(sheet.locator('svg.logo-mark').count()).resolves.toBe(1)

      const linkedIn = new URL((await page.getByRole('link', { name: 'Add to LinkedIn' }).getAttribute('href'))!)
      expect(`${linkedIn.origin}${linkedIn.pathname}`).toBe('https://www.linkedin.com/profile/add')
      expect(Object.fromEntries(linkedIn.searchParams)).toEqual({
        startTask: 'CERTIFICATION_NAME',
        name: exam.title,
        organizationName: 'ggml.ai',
        issueYear: '2026',
        issueMonth: '3',
        expirationYear: '2028',
        expirationMonth: '3',
        certUrl: url,
        certId: c.id,
      })
      expect(await page.getByRole('link', { name: 'Download PDF' }).getAttribute('href')).toBe(`${url}/certificate.pdf`)
      await page.getByRole('button', { name: 'Copy link to this certificate' }).click()
      await page.getByRole('button', { name: 'Copied link to this certificate' }).waitFor()
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url)

      const og = await ogTags(page)
      expect(og).toMatchObject({
        'og:title': `Dana Developer: ${exam.title} · ggml.ai`,
        'og:url': url,
        'og:image': `${url}/preview.png?standing=valid`,
        'og:image:width': '1200',
        'og:image:height': '630',
        'twitter:card': 'summary_large_image',
      })
      expect(og['og:description']).toContain('Valid — verified by ggml on 7 December 2026')
      await expect(previewImage(page, og['og:image']!, 'certificate-valid')).resolves.toEqual({
        type: 'image/png',
        cache: 'public, max-age=300',
        width: 1200,
        height: 630,
        band: 'green',
      })
      await page.screenshot({ path: `${SCREENSHOTS}/${sizeName(viewport)}-certificate.png`, fullPage: true })
      expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0)
      await page.close()
    }
  })

  it('a revoked certificate says so on the page and in its preview, and is not offered to LinkedIn', async () => {
    const { certificate: c } = await issuedCertificate({
      holderName: 'Chet Cheater',
      issuedAt: '2026-03-14T09:30:00Z',
      expiresAt: '2028-03-14T09:30:00Z',
    })
    await db().certificate.update({
      where: { id: c.id },
      data: { revokedAt: new Date('2026-12-05T16:00:00Z'), revokedReason: 'Answers shared before the exam.' },
    })
    for (const viewport of [DESKTOP, PHONE]) {
      const page = await visitor(viewport)
      await page.goto(`${server.url}/certificates/${c.id}`)
      expect(await page.getByTestId('certificate-verdict').innerText()).toContain(
        'Revoked on 5 December 2026. Reason: Answers shared before the exam.',
      )
      expect(await page.locator('main').innerText()).not.toMatch(/Valid —|verified by ggml/)
      await expect(page.getByRole('link', { name: 'Add to LinkedIn' }).count()).resolves.toBe(0)
      const og = await ogTags(page)
      expect(og['og:description']).toContain('Revoked on 5 December 2026')
      // A cheater who shares the valid picture's address still gets the revoked one.
      const image = await previewImage(
        page,
        og['og:image']!.replace('standing=revoked', 'standing=valid'),
        'certificate-revoked',
      )
      expect(image).toMatchObject({ width: 1200, height: 630, band: 'red' })
      await page.screenshot({ path: `${SCREENSHOTS}/${sizeName(viewport)}-certificate-revoked.png`, fullPage: true })
      expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0)
      await page.close()
    }
  })
})

/** A badge as the runner leaves it: a long CPU name, a GPU backend, real llama-bench records. */
async function badge() {
  const org = await createOrganization('oem_partner', unique('Framework Computer'))
  const { requestId, resultId } = await acceptedResultRows(org.id)
  await db().certRequest.update({ where: { id: requestId }, data: { productName: 'Desktop Mainboard AI Max+ 395' } })
  await db().certResult.update({
    where: { id: resultId },
    data: {
      payload: {
        records: [
          { n_prompt: 512, n_gen: 0, avg_ts: 612.4, stddev_ts: 3.1, samples_ts: [609.1, 611, 612.8, 614.2, 615.1] },
          { n_prompt: 0, n_gen: 128, avg_ts: 41.8, stddev_ts: 0.2, samples_ts: [41.6, 41.7, 41.8, 41.9, 42] },
        ].map((r) => ({ ...r, n_threads: 16, backends: 'Vulkan', n_batch: 512, n_ubatch: 512, flash_attn: 1 })),
      },
      checks: [{ check: 'model_sha256', ok: true, detail: 'matches the platform’s copy' }],
    },
  })
  const id = newId()
  await db().certBadge.create({
    data: {
      id,
      organizationId: org.id,
      requestId,
      resultId,
      assurance: 'runner-verified',
      issuedAt: new Date('2026-11-20T08:00:00Z'),
      summary: {
        shape: '7b',
        type: 'Q4_0',
        pp: { n: 512, ts: 612.4, sd: 3.1 },
        tg: { n: 128, ts: 41.8, sd: 0.2 },
        cpu: 'AMD RYZEN AI MAX+ 395 w/ Radeon 8060S',
        backends: ['CPU', 'Vulkan'],
      },
    },
  })
  return id
}

describe('a badge to share (issue 28)', () => {
  it('opens with its verdict in one line before the evidence, with copy buttons on the embed snippets', async () => {
    const id = await badge()
    for (const viewport of [DESKTOP, PHONE]) {
      const page = await visitor(viewport)
      expect((await page.goto(`${server.url}/badges/${id}`))?.status()).toBe(200)
      const verdict = page.getByTestId('badge-verdict')
      expect(await verdict.innerText()).toContain(
        'Verified: 7B-class Q4_0 generates 41.8 tokens/s (prompt processing 612 tokens/s) on Desktop Mainboard ' +
          'AI Max+ 395 (AMD RYZEN AI MAX+ 395 w/ Radeon 8060S, Vulkan) · Self-measured · valid until 20 November 2027',
      )
      // The verdict comes before any evidence: the first card, table or check follows it.
      const firstEvidence = page.locator('main section.card').first()
      expect(
        await verdict.evaluate(
          (v, card) => Boolean(v.compareDocumentPosition(card!) & Node.DOCUMENT_POSITION_FOLLOWING),
          await firstEvidence.elementHandle(),
        ),
      ).toBe(true)
      // One sentence, at most two lines of text on a wide screen.
      if (viewport === DESKTOP) {
        const lines = await verdict.evaluate((v) => {
          const style = getComputedStyle(v)
          const text = v.getBoundingClientRect().height - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom)
          return Math.round(text / parseFloat(style.lineHeight))
        })
        expect(lines).toBeLessThanOrEqual(2)
      }
      for (const [name, snippet] of [
        ['the Markdown snippet', `[![Powered by GGML: 7B-class Q4_0`],
        ['the HTML snippet', `<a href="${server.url}/badges/${id}"><img src=`],
      ] as const) {
        await page.getByRole('button', { name: `Copy ${name}` }).click()
        await page.getByRole('button', { name: `Copied ${name}` }).waitFor()
        expect(await page.evaluate(() => navigator.clipboard.readText())).toContain(snippet)
      }

      const og = await ogTags(page)
      expect(og).toMatchObject({
        'og:title': 'Desktop Mainboard AI Max+ 395: 7B-class Q4_0 · tg 41.8 t/s · pp 612 t/s · Powered by GGML',
        'og:image': `${server.url}/badges/${id}/preview.png?standing=in%20force`,
        'twitter:card': 'summary_large_image',
      })
      expect(og['og:description']).toMatch(/^Verified: 7B-class Q4_0 generates 41\.8 tokens\/s/)
      await expect(previewImage(page, og['og:image']!, 'badge-valid')).resolves.toMatchObject({
        type: 'image/png',
        width: 1200,
        height: 630,
        band: 'green',
      })
      await page.screenshot({ path: `${SCREENSHOTS}/${sizeName(viewport)}-badge.png`, fullPage: true })
      expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0)
      await page.close()
    }
  })

  it('a revoked badge opens with its revocation, and its preview says so', async () => {
    const id = await badge()
    await db().certBadge.update({ where: { id }, data: { revokedAt: new Date('2026-12-01T12:00:00Z') } })
    const page = await visitor(PHONE)
    await page.goto(`${server.url}/badges/${id}`)
    const verdict = await page.getByTestId('badge-verdict').innerText()
    expect(verdict).toMatch(/^✘\s*Revoked on 1 December 2026: 7B-class Q4_0 generates 41\.8 tokens\/s /)
    expect(verdict).toMatch(/ · Self-measured · no longer certified$/)
    const og = await ogTags(page)
    await expect(previewImage(page, og['og:image']!, 'badge-revoked')).resolves.toMatchObject({ band: 'red' })
    await page.screenshot({ path: `${SCREENSHOTS}/phone-badge-revoked.png`, fullPage: true })
    await page.close()
  })
})
