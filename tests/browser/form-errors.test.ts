import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEngagement } from '../../services/engagements/create-engagement.ts'
import { weekOf } from '../../services/engagements/log-week.ts'
import { setEngagementStatus } from '../../services/engagements/set-engagement-status.ts'
import { setRate } from '../../services/engagements/set-rate.ts'
import { actorForUser } from '../../services/identity/sessions.ts'
import { todayUtc } from '../../services/platform/clock.ts'
import { tenantScope } from '../../services/tenancy/tenant-guard.ts'
import { startAppServer } from '../support/app-server.ts'
import { launchBrowser } from '../support/browser.ts'
import { signInOnPage } from '../support/browser-sign-in.ts'
import { termsStartingToday } from '../support/contracts.ts'
import { signOutsideThePlatform } from '../support/engagements.ts'
import { createOrganization, createUser, ggmlOrganization, unique } from '../support/fixtures.ts'
import { signedContractFor } from '../support/royalties.ts'
import { examFixture } from '../support/training.ts'

/**
 * Issue 29, "one form pattern everywhere": every family of forms, sent with bad input, answers the same
 * way. An error summary at the top of the form takes focus and links to each field with a problem;
 * each such field carries aria-invalid, a message it is described by and a red border; what the person
 * typed is still there. One server, one browser, and each person signs in once.
 */
let server: Awaited<ReturnType<typeof startAppServer>>
let browser: Browser
const pages: Record<string, Page> = {}
let partner: { slug: string }
let examSlug: string
let engagementTitle: string
let monday: string

beforeAll(async () => {
  server = await startAppServer()
  browser = await launchBrowser()
  // A partner with a signed contract: its admin reports royalties, invites, adds webhooks, certifies.
  const cast = await signedContractFor(termsStartingToday())
  partner = cast.partner
  const ggml = await ggmlOrganization()
  const [lead, consultant, exam] = await Promise.all([
    createUser(ggml.id, 'services_lead'),
    createUser(ggml.id, 'consultant'),
    examFixture({ perDomain: 2 }),
  ])
  examSlug = exam.exam.slug
  // An active engagement the consultant logs time on.
  const customer = await createOrganization('enterprise', unique('Forms Mutual'))
  const leadActor = await actorForUser(lead.id)
  const role = unique('forms').replace(/[^a-z]/g, '_')
  await setRate(leadActor, { rateRole: role, currency: 'USD', rate: '200.00', effectiveFrom: '2020-01-01' })
  engagementTitle = unique('Form errors engagement')
  const { id } = await createEngagement(leadActor, {
    organizationId: customer.id,
    title: engagementTitle,
    type: 'time_and_materials',
    currency: 'USD',
    startsOn: '2020-01-06',
    leadEmail: lead.email,
    budgetHours: 100,
    budget: '20000',
    team: `${consultant.email} ${role} 100.00`,
  })
  const manage = await tenantScope(leadActor, { id: customer.id }, 'services.manage')
  await signOutsideThePlatform(manage, id)
  await setEngagementStatus(manage, { engagementId: id, to: 'active' })
  monday = weekOf(todayUtc())

  const people = {
    manager: cast.manager,
    finance: cast.finance,
    partnerAdmin: cast.partnerAdmin,
    lead,
    consultant,
    instructor: exam.author,
  }
  // One after another: six cold page loads at once outrun a busy two-core machine.
  for (const [who, user] of Object.entries(people)) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    page.setDefaultTimeout(20_000)
    page.setDefaultNavigationTimeout(30_000)
    await signInOnPage(page, server.url, user.email, user.password)
    pages[who] = page
  }
  pages.visitor = await browser.newPage({ viewport: { width: 1280, height: 800 } })
  pages.visitor.setDefaultTimeout(20_000)
}, 240_000)

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

interface Marked {
  linked: boolean
  message: string
  value: string | null
  redBorder: boolean
}

/** A field named `name` in the form that shows the summary, as assistive technology meets it. */
function markedField(page: Page, name: string): Promise<Marked | null> {
  return page.evaluate((name) => {
    const summary = document.querySelector('.error-summary')!
    const scope = summary.closest('form') ?? document
    const el = scope.querySelector<HTMLInputElement>(`[name="${CSS.escape(name)}"][aria-invalid="true"]`)
    if (!el) return null
    const messages = (el.getAttribute('aria-describedby') ?? '')
      .split(' ')
      .map((id) => document.getElementById(id))
      .filter((m): m is HTMLElement => Boolean(m?.classList.contains('field-error')))
    const danger = messages[0] ? getComputedStyle(messages[0]).color : 'none'
    // A checkbox paints no border: it is outlined instead.
    const box = el.type === 'checkbox' || el.type === 'radio'
    const edge = box ? getComputedStyle(el).outlineColor : getComputedStyle(el).borderTopColor
    return {
      linked: [...summary.querySelectorAll('a')].some((a) => a.getAttribute('href') === `#${el.id}`),
      message: messages.map((m) => m.textContent ?? '').join(' '),
      value: el.type === 'file' || el.type === 'checkbox' ? null : el.value,
      redBorder: edge === danger,
    }
  }, name)
}

/**
 * The one pattern after a failed submit: `invalid` maps each field that must be marked to the value
 * it must still hold (null: not checked, a file or checkbox); `kept` are other fields whose typing stays.
 */
async function expectFailedSubmit(
  page: Page,
  invalid: Record<string, string | null>,
  kept: Record<string, string> = {},
) {
  const summary = page.locator('.error-summary')
  await summary.waitFor()
  expect(await summary.getAttribute('role')).toBe('alert')
  expect(await summary.getAttribute('tabindex')).toBe('-1')
  await expect
    .poll(() => page.evaluate(() => document.activeElement?.classList.contains('error-summary') ?? false))
    .toBe(true)
  const summaryText = await summary.innerText()
  for (const [name, value] of Object.entries(invalid)) {
    const field = await markedField(page, name)
    expect(field, `${name} is marked aria-invalid in the failed form`).not.toBeNull()
    expect(field!.linked, `the summary links to ${name}`).toBe(true)
    expect(field!.message.trim(), `${name} has its own message`).not.toBe('')
    expect(summaryText).toContain(field!.message.trim())
    expect(field!.redBorder, `${name} has a red border`).toBe(true)
    if (value !== null) expect(field!.value, `${name} keeps what was typed`).toBe(value)
  }
  for (const [name, value] of Object.entries(kept))
    expect(await summary.locator('xpath=ancestor::form').locator(`[name="${name}"]`).inputValue()).toBe(value)
  // A link in the summary puts the cursor in its field.
  await summary.locator('a').first().click()
  const focused = await page.evaluate(() => document.activeElement?.getAttribute('aria-invalid'))
  expect(focused).toBe('true')
}

const formWith = (page: Page, hidden: string, value: string): Locator =>
  page.locator('form', { has: page.locator(`input[type=hidden][name="${hidden}"][value="${value}"]`) })

describe('one form pattern for every form family (issue 29)', () => {
  it('the contract editor: a new contract with no partner', async () => {
    const page = pages.manager!
    await page.goto(`${server.url}/contracts/new`)
    await page.getByLabel('Title').fill('Kept contract title')
    await page.getByRole('button', { name: 'Save draft' }).click()
    await expectFailedSubmit(page, { organizationId: null }, { title: 'Kept contract title' })
    // Nothing beside a failed save says the terms are valid.
    const check = page.locator('.editor-side section').first()
    await expect.poll(() => check.innerText()).not.toMatch(/Checking/)
    expect(await check.innerText()).not.toMatch(/valid/i)
  })

  it('the timesheet: "25" and "abc" hours are marked on their days', async () => {
    const page = pages.consultant!
    await page.goto(`${server.url}/services/timesheet?week=${monday}`)
    const tuesday = new Date(Date.parse(`${monday}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)
    await page.getByLabel(`Hours on ${monday} for ${engagementTitle}`).fill('25')
    await page.getByLabel(`Hours on ${tuesday} for ${engagementTitle}`).fill('abc')
    await page.getByLabel('Task').fill('Profile the KV cache')
    await page.getByRole('button', { name: 'Save the week' }).click()
    await expectFailedSubmit(page, { 'hours.0': '25', 'hours.1': 'abc' }, { task: 'Profile the KV cache' })
  })

  it('the royalty report form', async () => {
    const page = pages.partnerAdmin!
    await page.goto(`${server.url}/portal/${partner.slug}/reports`)
    await page.getByLabel('Period', { exact: true }).fill('   ')
    await page.getByRole('button', { name: 'Check and submit' }).click()
    await expectFailedSubmit(page, { period: '   ' })
  })

  it('the team invite', async () => {
    const page = pages.partnerAdmin!
    await page.goto(`${server.url}/portal/${partner.slug}/team`)
    await page.getByLabel('Email').fill('not-an-email')
    await page.getByRole('button', { name: 'Send invitation' }).click()
    await expectFailedSubmit(page, { email: 'not-an-email' })
  })

  it('the webhook endpoint', async () => {
    const page = pages.partnerAdmin!
    await page.goto(`${server.url}/portal/${partner.slug}/webhooks`)
    await page.getByLabel('URL').fill('not a url')
    await page.getByRole('button', { name: 'Add endpoint' }).click()
    await expectFailedSubmit(page, { url: 'not a url', events: null })
  })

  it('the certification request', async () => {
    const page = pages.partnerAdmin!
    await page.goto(`${server.url}/portal/${partner.slug}/certification`)
    await page.getByLabel('Product', { exact: true }).fill('X')
    await page.getByRole('button', { name: 'Queue the benchmark' }).click()
    await expectFailedSubmit(page, { productName: 'X', sku: '' })
  })

  it('the engagement creation', async () => {
    const page = pages.lead!
    await page.goto(`${server.url}/services/engagements/new`)
    await page.getByLabel('Title').fill('Ab')
    await page.getByLabel('Budget (hours)').fill('lots')
    await page.getByRole('button', { name: 'Create the engagement' }).click()
    await expectFailedSubmit(page, { organizationId: null, title: 'Ab', budgetHours: 'lots' })
  })

  it('the credit or debit note request', async () => {
    const page = pages.finance!
    await page.goto(`${server.url}/finance/adjustments`)
    const form = formWith(page, 'intent', 'request')
    await form.getByLabel('Reason').fill('no')
    await form.getByRole('button', { name: 'Request' }).click()
    await expectFailedSubmit(page, { amount: '', reason: 'no' })
  })

  it('the exam item editor', async () => {
    const page = pages.instructor!
    await page.goto(`${server.url}/training/exams/${examSlug}/items`)
    const form = formWith(page, 'intent', 'author')
    await form.getByLabel('Question').fill('Too short')
    await form.getByLabel('Choices, one per line').fill('only one')
    await form.getByRole('button', { name: 'Send to review' }).click()
    await expectFailedSubmit(page, { stem: 'Too short', choices: 'only one' })
  })

  it('sign-up and sign-in', async () => {
    const page = pages.visitor!
    await page.goto(`${server.url}/signup`)
    await page.getByLabel('Your name').fill('Ada')
    await page.getByLabel('Email').fill('not-an-email')
    await page.getByRole('button', { name: 'Create account' }).click()
    await expectFailedSubmit(page, { email: 'not-an-email', password: null }, { name: 'Ada' })

    await page.goto(`${server.url}/login`)
    await page.getByLabel('Email').fill('not-an-email')
    await page.getByRole('button', { name: 'Continue', exact: true }).click()
    await expectFailedSubmit(page, { email: 'not-an-email' })
  })
})

describe('a page that fails inside an area (issue 27)', () => {
  it('keeps the app’s navigation and says what happened in words, never a stack or route text', async () => {
    const page = pages.lead!
    const res = await page.goto(`${server.url}/services/engagements/${unique('no-such-engagement')}`)
    expect(res?.status()).toBe(404)
    await expect(
      page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Services', exact: true }).count(),
    ).resolves.toBe(1)
    const main = await page.locator('main').innerText()
    expect(main).toContain('Error 404')
    expect(main).not.toMatch(/Error: |at .*\.js:\d+|No route matches|routes\//)
    await expect(page.getByRole('link', { name: 'Back to Services' }).getAttribute('href')).resolves.toBe('/services')
  })
})
