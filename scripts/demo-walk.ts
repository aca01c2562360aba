// `npm run walk:demo -- [--url http://localhost:3000] [--out .data/demo-walk]` (issue 29): every demo
// account signs in to a running demo (`npm run demo`), and at a laptop's 1440×900 opens every page its
// navigation offers and the first few records each list links to. A page taller than 6,000 px without paging
// is named and its screenshot kept; the run fails if there is one. The browser tests walk the same menus on
// small test data; this walk is about the demo's real volumes (about 55 contributors, a year of audit log).
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import type { Page } from 'playwright-core'
import { launchBrowser } from '../tests/support/browser.ts'
import { DEMO_PASSWORD, demoContributor, demoUsers } from '../seeds/demo.ts'

const TALLEST = 6_000
const DETAILS_PER_LIST = 2
const { values } = parseArgs({
  options: { url: { type: 'string', default: 'http://localhost:3000' }, out: { type: 'string' } },
})
const base = values.url!.replace(/\/$/, '')
const out = path.resolve(values.out ?? '.data/demo-walk')
mkdirSync(out, { recursive: true })

async function signIn(page: Page, email: string) {
  await page.goto(`${base}/login`)
  await page.getByLabel('Email').fill(email)
  await page.getByRole('button', { name: 'Continue', exact: true }).click()
  await page.getByLabel('Password').fill(DEMO_PASSWORD)
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await page.waitForURL((u) => u.pathname !== '/login')
  if (new URL(page.url()).pathname === '/login/two-factor') {
    // The demo shows its staff's current code on the page instead of a phone.
    const hint = await page.getByText(/the current code is \d{6}/).textContent()
    await page.getByLabel('Authentication code').fill(hint!.match(/\d{6}/)![0])
    await page.getByRole('button', { name: 'Verify' }).click()
    await page.waitForURL((u) => !u.pathname.startsWith('/login'))
  }
}

const sameOrigin = (page: Page, selector: string) =>
  page
    .locator(selector)
    .evaluateAll((links, origin) => {
      const paths = links
        .map((a) => new URL((a as HTMLAnchorElement).href))
        .filter((u) => u.origin === origin)
        .map((u) => u.pathname)
      return [...new Set(paths)]
    }, new URL(base).origin)
    .catch(() => [] as string[])

/** The records a list page links to under its own path (a contract of /contracts, an engagement of /services). */
async function detailPaths(page: Page, listPath: string): Promise<string[]> {
  const links = await sameOrigin(page, 'main a[href]')
  return links
    .filter((p) => p.startsWith(`${listPath}/`) && !/\.(csv|pdf|json|png|svg)$/.test(p) && !p.endsWith('/new'))
    .slice(0, DETAILS_PER_LIST)
}

type Row = { who: string; path: string; status: number; height: number }
const rows: Row[] = []
const browser = await launchBrowser()
const walkers = [
  ...demoUsers.map((u) => ({ email: u.email, role: u.role })),
  { ...demoContributor, role: 'contributor' },
]
try {
  for (const w of walkers) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } })
    const page = await context.newPage()
    try {
      await signIn(page, w.email)
    } catch (e) {
      rows.push({ who: w.email, path: '/login', status: 0, height: 0 })
      console.error(`${w.email}: could not sign in: ${(e as Error).message.split('\n')[0]}`)
      await context.close()
      continue
    }
    const nav = (await sameOrigin(page, 'nav[aria-label="Main"] a[href^="/"]')).filter((p) => p !== '/logout')
    const seen = new Set<string>()
    const visit = async (p: string) => {
      if (seen.has(p)) return
      seen.add(p)
      const res = await page.goto(`${base}${p}`, { waitUntil: 'load' })
      const height = await page.evaluate(() => document.scrollingElement!.scrollHeight)
      rows.push({ who: w.email, path: p, status: res?.status() ?? 0, height })
      if (height > TALLEST)
        await page.screenshot({ path: path.join(out, `${w.email}${p.replaceAll('/', '_')}.png`), fullPage: true })
    }
    for (const p of nav) {
      await visit(p)
      for (const d of await detailPaths(page, p)) await visit(d)
    }
    await context.close()
  }
} finally {
  await browser.close()
}

const tall = rows.filter((r) => r.height > TALLEST)
const failed = rows.filter((r) => r.status !== 200)
const byHeight = [...rows].sort((a, b) => b.height - a.height)
console.log(`${rows.length} pages walked by ${walkers.length} demo accounts at 1440×900; the ten tallest:`)
for (const r of byHeight.slice(0, 10))
  console.log(
    `${String(r.height).padStart(7)} px  ${r.path.padEnd(48)} ${r.who}${r.height > TALLEST ? '  TALLER' : ''}`,
  )
for (const r of failed) console.log(`status ${r.status}: ${r.path} (${r.who})`)
if (tall.length) console.log(`${tall.length} pages over ${TALLEST} px; screenshots in ${out}`)
process.exit(tall.length || failed.length ? 1 : 0)
