import type { Browser, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { db } from '../../services/platform/db/client.ts'
import { newId } from '../../services/platform/db/ids.ts'
import { actorForUser } from '../../services/identity/sessions.ts'
import { requestAdjustment } from '../../services/ledger/request-adjustment.ts'
import { resetClock } from '../../services/platform/clock.ts'
import { tenantScope } from '../../services/tenancy/tenant-guard.ts'
import { startAppServer } from '../support/app-server.ts'
import { launchBrowser } from '../support/browser.ts'
import { signInOnPage } from '../support/browser-sign-in.ts'
import { createOrganization, createUser, ggmlOrganization, unique } from '../support/fixtures.ts'
import { heldBadge, servicesWork } from '../support/inbox.ts'
import { examFixture } from '../support/training.ts'

// Issue 29: each role decides its waiting work in the inbox's row and sees the navigation's count drop.
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
afterEach(() => resetClock())

const count = async (page: Page) =>
  Number(
    await page.getByRole('navigation', { name: 'Main' }).locator('[data-inbox-count]').getAttribute('data-inbox-count'),
  )

/** Signs in, opens the inbox from the navigation, and returns the page and the count it shows. */
async function openInbox(user: { email: string; password: string }) {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
  page.setDefaultTimeout(10_000)
  await signInOnPage(page, server.url, user.email, user.password)
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: /^Inbox/ })
    .click()
  await page.waitForURL((u) => u.pathname === '/inbox')
  return { page, before: await count(page) }
}

/** Decides one row inline: approve, or return with the reason typed in the row. */
async function decide(page: Page, key: string, how: { button: string; reason?: string }) {
  const row = page.locator(`[data-inbox-item="${key}"]`)
  await row.getByRole('link').first().waitFor()
  if (how.reason) await row.getByRole('textbox').fill(how.reason)
  // Each button's name carries the row's title, for a screen reader: "Approve: Ana's week of …".
  await row.getByRole('button', { name: new RegExp(`^${how.button}: `) }).click()
  await page.waitForURL((u) => u.searchParams.has('done'))
  await row.waitFor({ state: 'detached' })
}

describe('the inbox in the browser', () => {
  it('a services lead approves an expense in its row', async () => {
    const w = await servicesWork()
    const { page, before } = await openInbox(w.servicesLead)
    expect(before).toBeGreaterThanOrEqual(1)
    // A rejection without its reason is refused in its own row, marked as every form's fields are.
    const row = page.locator(`[data-inbox-item="expense:${w.expenseId}"]`)
    await row.getByRole('button', { name: /^Reject: / }).click()
    const reason = row.getByRole('textbox')
    await page.locator('[aria-invalid="true"]').first().waitFor()
    expect(await reason.getAttribute('aria-invalid')).toBe('true')
    expect(await row.locator('.form-errors, [role="alert"]').count()).toBeGreaterThan(0)
    expect(await page.locator('[aria-invalid="true"]').count()).toBe(1)
    await decide(page, `expense:${w.expenseId}`, { button: 'Approve' })
    await page.getByRole('status').getByText('Expense approved.').waitFor()
    expect(await count(page)).toBe(before - 1)
    expect((await db().engagementExpense.findUniqueOrThrow({ where: { id: w.expenseId } })).status).toBe('approved')
    await page.close()
  })

  it('a customer accepts a delivered milestone, and the count drops to nothing', async () => {
    const w = await servicesWork()
    const { page, before } = await openInbox(w.customerAdmin)
    expect(before).toBe(1)
    await decide(page, `milestone:${w.milestoneId}`, { button: 'Accept' })
    expect(await count(page)).toBe(0)
    await page.getByText('Nothing waits for you.').waitFor()
    await page.close()
  })

  it('an instructor returns an item with what to change', async () => {
    const { exam, author, reviewer } = await examFixture({ perDomain: 1 })
    const itemId = newId()
    const versionId = newId()
    await db().examItem.create({ data: { id: itemId, examId: exam.id, domain: 'alpha' } })
    await db().examItemVersion.create({
      data: {
        id: versionId,
        itemId,
        version: 1,
        kind: 'single',
        stem: 'Which type keeps 4 bits per weight?',
        choices: [
          { id: 'a', text: 'Q4_0' },
          { id: 'b', text: 'Q8_0' },
        ],
        key: ['a'],
        explanation: 'Q4_0 stores 4-bit weights.',
        difficulty: 2,
        tags: [],
        state: 'in_review',
        authorId: author.id,
      },
    })
    const { page, before } = await openInbox(reviewer)
    await decide(page, `exam_item:${versionId}`, { button: 'Reject', reason: 'Name the block size too' })
    expect(await count(page)).toBe(before - 1)
    expect((await db().examItemVersion.findUniqueOrThrow({ where: { id: versionId } })).reviewNote).toBe(
      'Name the block size too',
    )
    await page.close()
  })

  it('finance approves a second person’s credit note', async () => {
    const ggml = await ggmlOrganization()
    const partner = await createOrganization('oem_partner', unique('Inbox Partner'))
    const [requester, approver] = await Promise.all([createUser(ggml.id, 'finance'), createUser(ggml.id, 'finance')])
    const scope = await tenantScope(await actorForUser(requester.id), { id: partner.id }, 'adjustments.request')
    const id = await requestAdjustment(scope, {
      currency: 'USD',
      direction: 'credit',
      amount: '100.00',
      reason: 'Goodwill for the late price list',
    })
    const { page, before } = await openInbox(approver)
    await decide(page, `adjustment:${id}`, { button: 'Approve and post' })
    await page.getByRole('status').getByText('Approved and posted.').waitFor()
    expect(await count(page)).toBe(before - 1)
    expect((await db().adjustment.findUniqueOrThrow({ where: { id } })).status).toBe('approved')
    await page.close()
  })

  it('a certification engineer revokes a held badge with a reason', async () => {
    const partner = await createOrganization('oem_partner', unique('Inbox Silicon'))
    const badgeId = await heldBadge(partner.id)
    const engineer = await createUser((await ggmlOrganization()).id, 'certification_engineer')
    const { page, before } = await openInbox(engineer)
    // No independent run yet: the row says why instead of offering Approve.
    const row = page.locator(`[data-inbox-item="badge:${badgeId}"]`)
    await row.getByText(/Cannot be approved yet/).waitFor()
    await decide(page, `badge:${badgeId}`, { button: 'Revoke', reason: 'Threads do not match the declared CPU' })
    expect(await count(page)).toBe(before - 1)
    expect((await db().certBadge.findUniqueOrThrow({ where: { id: badgeId } })).revokedAt).not.toBeNull()
    await page.close()
  })
})
