import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { issueInvoiceForEntry } from '../../services/billing/issue-invoice.ts'
import { syncInvoice } from '../../services/billing/sync-invoice.ts'
import { db } from '../../services/platform/db/client.ts'
import { addDays, addMonths } from '../../services/kernel/calendar/months.ts'
import { createEngagement } from '../../services/engagements/create-engagement.ts'
import { decideTimesheet } from '../../services/engagements/decide-timesheet.ts'
import { logWeek, weekOf } from '../../services/engagements/log-week.ts'
import { setEngagementStatus } from '../../services/engagements/set-engagement-status.ts'
import { setRate } from '../../services/engagements/set-rate.ts'
import { actorForUser } from '../../services/identity/sessions.ts'
import { todayUtc } from '../../services/platform/clock.ts'
import { tenantScope } from '../../services/tenancy/tenant-guard.ts'
import { startAppServer } from '../support/app-server.ts'
import { launchBrowser } from '../support/browser.ts'
import { signInOnPage } from '../support/browser-sign-in.ts'
import { createOrganization, createUser, ggmlOrganization, unique } from '../support/fixtures.ts'
import { signOutsideThePlatform } from '../support/engagements.ts'

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

async function signedIn(email: string, password: string): Promise<Page> {
  const page = await browser.newPage()
  page.setDefaultTimeout(10_000)
  await signInOnPage(page, server.url, email, password)
  return page
}

describe('services in the browser', () => {
  it('a consultant submits a week, the lead approves it, the invoice run bills it, the customer pays', async () => {
    const ggml = await ggmlOrganization()
    const customer = await createOrganization('enterprise', unique('Browser Mutual'))
    const customerAdmin = await createUser(customer.id, 'partner_admin')
    const lead = await createUser(ggml.id, 'services_lead')
    const consultant = await createUser(ggml.id, 'consultant')
    const role = unique('browser').replace(/[^a-z]/g, '_')
    // Last month's second week, so its month has ended and the invoice run takes it.
    const today = todayUtc()
    const lastMonth = new Date(Date.UTC(Number(today.slice(0, 4)), Number(today.slice(5, 7)) - 2, 8))
    const monday = weekOf(lastMonth.toISOString().slice(0, 10))
    const month = monday.slice(0, 7)
    const leadActor = await actorForUser(lead.id)
    await setRate(leadActor, { rateRole: role, currency: 'USD', rate: '240.00', effectiveFrom: '2020-01-01' })
    const { id } = await createEngagement(leadActor, {
      organizationId: customer.id,
      title: 'Browser integration engagement',
      type: 'time_and_materials',
      currency: 'USD',
      startsOn: '2020-01-06',
      leadEmail: lead.email,
      budgetHours: 100,
      budget: '24000',
      team: `${consultant.email} ${role} 100.00`,
    })
    const manage = await tenantScope(leadActor, { id: customer.id }, 'services.manage')
    await signOutsideThePlatform(manage, id)
    await setEngagementStatus(manage, { engagementId: id, to: 'active' })

    // The consultant logs 7.5 + 8 hours and submits the week.
    const c = await signedIn(consultant.email, consultant.password)
    await c.goto(`${server.url}/services/timesheet?week=${monday}`)
    await c.getByLabel(`Hours on ${monday} for Browser integration engagement`).fill('7.5')
    const tuesday = new Date(Date.parse(`${monday}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)
    await c.getByLabel(`Hours on ${tuesday} for Browser integration engagement`).fill('8')
    await c.getByLabel('Task').fill('Wire the assistant to llama.cpp')
    await c.getByRole('button', { name: 'Save the week' }).click()
    await c.getByText('Saved.').waitFor()
    await c.getByRole('button', { name: 'Submit the week' }).click()
    await c.getByText('Submitted: the engagement lead approves it.').waitFor()
    await c.close()

    // The lead approves it on the engagement's page, then runs last month's invoicing.
    const l = await signedIn(lead.email, lead.password)
    await l.goto(`${server.url}/services/engagements/${id}`)
    await l.getByRole('button', { name: 'Approve' }).click()
    await l.getByText('The week is approved.').waitFor()
    await l.goto(`${server.url}/services`)
    await l.getByLabel('Bill approved time through the end of').fill(month)
    await l.getByRole('button', { name: 'Run invoicing' }).click()
    // 15.5 h at $240.00 = $3,720.00
    await l.getByText('Invoiced 1 engagement(s): $3,720.00.').waitFor()
    await l.close()

    // The worker's job issues the Stripe invoice; the customer pays it on the hosted page.
    const entry = await db().journalEntry.findFirstOrThrow({
      where: { organizationId: customer.id, kind: 'services_invoice' },
    })
    await issueInvoiceForEntry(entry.id)
    const invoice = await db().invoice.findUniqueOrThrow({ where: { journalEntryId: entry.id } })
    expect(invoice.amountDueMinor).toBe(372_000n)
    const p = await signedIn(customerAdmin.email, customerAdmin.password)
    await p.goto(`${server.url}/portal/${customer.slug}/engagements`)
    await p.getByText('of 100 h (15.5%)').waitFor()
    await p.getByText('of $24,000.00 (15.5%)').waitFor()
    await p.getByRole('img', { name: /Approved hours to date: 15.5 of 100/ }).waitFor()
    await p.goto(`${server.url}/portal/${customer.slug}/invoices/${invoice.id}`)
    await p.getByRole('link', { name: 'Pay $3,720.00' }).click()
    await p.getByRole('button', { name: 'Pay $3,720.00 by card' }).click()
    // Stripe's webhook cannot reach this test's server; the sync job reads the truth from Stripe.
    await syncInvoice(invoice.stripeInvoiceId!)
    expect((await db().invoice.findUniqueOrThrow({ where: { id: invoice.id } })).status).toBe('paid')
    await p.close()
  })

  it('the lead delivers a milestone and the customer accepts it in the portal', async () => {
    const ggml = await ggmlOrganization()
    const customer = await createOrganization('oem_partner', unique('Browser Robotics'))
    const customerAdmin = await createUser(customer.id, 'partner_admin')
    const lead = await createUser(ggml.id, 'services_lead')
    const leadActor = await actorForUser(lead.id)
    const { id } = await createEngagement(leadActor, {
      organizationId: customer.id,
      title: 'Browser fixed-price optimization',
      type: 'fixed_price',
      currency: 'USD',
      startsOn: '2020-01-06',
      leadEmail: lead.email,
      budgetHours: 300,
      budget: '90000',
      acceptanceDays: 7,
      team: '',
    })
    const manage = await tenantScope(leadActor, { id: customer.id }, 'services.manage')
    await signOutsideThePlatform(manage, id)
    await setEngagementStatus(manage, { engagementId: id, to: 'active' })

    const l = await signedIn(lead.email, lead.password)
    await l.goto(`${server.url}/services/engagements/${id}`)
    await l.getByLabel('Milestone').fill('Profiling report')
    await l.getByLabel('Amount (USD)').fill('30,000.00')
    await l.getByRole('button', { name: 'Plan milestone' }).click()
    await l.getByText('Milestone “Profiling report” is planned.').waitFor()
    await l.getByRole('button', { name: 'Mark delivered' }).click()
    await l.getByText(/Delivered: the customer has until \d{4}-\d{2}-\d{2} to accept or return it/).waitFor()
    await l.close()

    const p = await signedIn(customerAdmin.email, customerAdmin.password)
    await p.goto(`${server.url}/portal/${customer.slug}/engagements`)
    await p.getByRole('button', { name: 'Accept “Profiling report”' }).click()
    await p.getByText('Accepted: it is invoiced in the next run.').waitFor()
    await p.getByText(/accepted on \d{4}-\d{2}-\d{2}/).waitFor()
    await p.close()
    const m = await db().engagementMilestone.findFirstOrThrow({ where: { engagementId: id } })
    expect([m.status, m.acceptedById, m.amountMinor]).toEqual(['accepted', customerAdmin.id, 3_000_000n])
  })
  it('services reports open on last month, flag an engagement over budget, and draw readable charts', async () => {
    const ggml = await ggmlOrganization()
    const lead = await createUser(ggml.id, 'services_lead')
    const consultant = await createUser(ggml.id, 'consultant')
    const leadActor = await actorForUser(lead.id)
    const role = unique('reports').replace(/[^a-z]/g, '_')
    await setRate(leadActor, { rateRole: role, currency: 'USD', rate: '200.00', effectiveFrom: '2020-01-01' })
    const today = todayUtc()
    const month = { from: addMonths(`${today.slice(0, 7)}-01`, -1), to: addDays(`${today.slice(0, 7)}-01`, -1) }
    const monday = weekOf(addDays(month.from, 7))
    // Approved in last month's second week: 15.5 h of a 100 h budget, and 12 h of a 10 h budget.
    const approvedWeek = async (title: string, budgetHours: number, hours: string[]) => {
      const customer = await createOrganization('enterprise', unique('Browser Reports'))
      const { id } = await createEngagement(leadActor, {
        organizationId: customer.id,
        title,
        type: 'time_and_materials',
        currency: 'USD',
        startsOn: '2020-01-06',
        leadEmail: lead.email,
        budgetHours,
        budget: String(budgetHours * 200),
        team: `${consultant.email} ${role} 100.00`,
      })
      const manage = await tenantScope(leadActor, { id: customer.id }, 'services.manage')
      await signOutsideThePlatform(manage, id)
      await setEngagementStatus(manage, { engagementId: id, to: 'active' })
      const logs = await tenantScope(await actorForUser(consultant.id), { id: customer.id }, 'time.log')
      const week = { engagementId: id, weekStart: monday, hours: [...hours, '', '', '', '', ''], task: 'Porting' }
      const { timesheetId } = await logWeek(logs, week)
      await decideTimesheet(logs, { timesheetId, action: 'submit' })
      const approves = await tenantScope(leadActor, { id: customer.id }, 'time.approve')
      await decideTimesheet(approves, { timesheetId, action: 'approve' })
    }
    await approvedWeek('Browser reports within budget', 100, ['7.5', '8'])
    await approvedWeek('Browser reports overrun', 10, ['8', '4'])

    const l = await signedIn(lead.email, lead.password)
    await l.goto(`${server.url}/services/reports`)
    await l.getByText(`${month.from} to ${month.to}: approved time only`).waitFor()
    const presets = l.getByRole('navigation', { name: 'Report range' }).getByRole('link')
    expect(await presets.allTextContents()).toEqual(['Last month', 'Last quarter', 'Year to date'])
    expect(await presets.first().getAttribute('aria-current')).toBe('true')
    expect(await presets.first().getAttribute('href')).toBe(`?from=${month.from}&to=${month.to}`)
    const within = l.getByRole('row', { name: /Browser reports within budget/ })
    expect(await within.getAttribute('data-budget')).toBe('within')
    expect(await within.getByRole('cell').nth(1).textContent()).toBe('15.5')
    const over = l.getByRole('row', { name: /Browser reports overrun/ })
    expect(await over.getAttribute('data-budget')).toBe('over')
    expect(await over.getByRole('cell').last().textContent()).toBe('12 h of 10 h: 120%⚠ Over budget')

    // Axes with ticks and a unit, labelled reference lines, a flagged bar, and the data as a table.
    const utilization = l.getByRole('img', { name: /^Utilization per consultant, / })
    const ticks = await utilization.locator('[data-axis="bottom"] text').allTextContents()
    expect([ticks[0], ticks.at(-1)]).toEqual(['0%', 'Utilization (% of capacity)'])
    expect(await utilization.locator('[data-reference] text').textContent()).toBe('100% capacity')
    const eac = l.getByRole('img', { name: /^Estimate at completion against/ })
    expect(await eac.locator('[data-reference] text').textContent()).toBe('budget')
    const overBar = eac.locator('.chart-mark', { hasText: 'Browser reports overrun' })
    expect(await overBar.getAttribute('data-flagged')).toBe('yes')
    const figure = l.locator('figure', { has: eac })
    await figure.getByText('Show the data as a table').click()
    const table = figure.getByRole('table', { name: /^Estimate at completion against/ })
    expect(await table.getByRole('row', { name: /Browser reports overrun/ }).textContent()).toBe(
      'Browser reports overrun120%',
    )
    await l.close()
  })
})
