import { afterEach, describe, expect, it } from 'vitest'
import { db } from '../../services/platform/db/client.ts'
import { acceptMilestonesPassively } from '../../services/engagements/accept-milestones-passively.ts'
import { addMilestone } from '../../services/engagements/add-milestone.ts'
import { createEngagement } from '../../services/engagements/create-engagement.ts'
import { decideChangeOrder } from '../../services/engagements/decide-change-order.ts'
import { decideExpense } from '../../services/engagements/decide-expense.ts'
import { decideMilestone } from '../../services/engagements/decide-milestone.ts'
import { decideTimesheet } from '../../services/engagements/decide-timesheet.ts'
import { deliverMilestone } from '../../services/engagements/deliver-milestone.ts'
import { logWeek } from '../../services/engagements/log-week.ts'
import { proposeChangeOrder } from '../../services/engagements/propose-change-order.ts'
import { runServicesInvoicing } from '../../services/engagements/run-services-invoicing.ts'
import { setEngagementStatus } from '../../services/engagements/set-engagement-status.ts'
import { setRate } from '../../services/engagements/set-rate.ts'
import { submitExpense } from '../../services/engagements/submit-expense.ts'
import { actorForUser } from '../../services/identity/sessions.ts'
import { resetClock, travelTo } from '../../services/platform/clock.ts'
import { tenantScope } from '../../services/tenancy/tenant-guard.ts'
import { createOrganization, createUser, ggmlOrganization, unique } from '../support/fixtures.ts'
import { signOutsideThePlatform } from '../support/engagements.ts'

afterEach(() => resetClock())

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])
const FIVE_DAYS = ['8', '8', '8', '8', '8', '', '']

async function cast() {
  const ggml = await ggmlOrganization()
  const customer = await createOrganization('oem_partner', unique('Brightwater Test'))
  const servicesLead = await createUser(ggml.id, 'services_lead')
  const lead = await createUser(ggml.id, 'consultant')
  const consultant = await createUser(ggml.id, 'consultant')
  const customerAdmin = await createUser(customer.id, 'partner_admin')
  const customerFinance = await createUser(customer.id, 'partner_finance')
  const actor = (u: { id: string }) => actorForUser(u.id)
  const scopeOf = async (u: { id: string }, p: Parameters<typeof tenantScope>[2]) =>
    tenantScope(await actor(u), { id: customer.id }, p)
  const role = unique('principal').replace(/[^a-z]/g, '_')
  const open = async (type: 'time_and_materials' | 'fixed_price', budget: string, title: string) => {
    const sl = await actor(servicesLead)
    const { id } = await createEngagement(sl, {
      organizationId: customer.id,
      title,
      type,
      currency: 'USD',
      startsOn: '2027-03-01',
      endsOn: '2027-06-30',
      leadEmail: lead.email,
      budgetHours: 400,
      budget,
      acceptanceDays: 10,
      team: `${consultant.email} ${role} 140.00`,
    })
    const manage = await scopeOf(servicesLead, 'services.manage')
    await signOutsideThePlatform(manage, id)
    await setEngagementStatus(manage, { engagementId: id, to: 'active' })
    return id
  }
  return { customer, servicesLead, lead, consultant, customerAdmin, customerFinance, actor, scopeOf, role, open }
}

const linesOf = async (entryId: string) =>
  (await db().journalLine.findMany({ where: { entryId }, include: { account: { select: { type: true } } } }))
    .map((l) => [l.account.type, l.debitMinor, l.creditMinor, l.memo] as const)
    .sort((a, b) => a[3]!.localeCompare(b[3]!))

describe('services milestones, expenses and change orders', () => {
  it('a month of time, an expense and a milestone, invoiced as computed by hand', async () => {
    const c = await cast()
    const sl = await c.actor(c.servicesLead)
    // Standard $300/h for the role; from 2027-03-15, $275/h on the time-and-materials engagement.
    await setRate(sl, { rateRole: c.role, currency: 'USD', rate: '300.00', effectiveFrom: '2027-01-01' })
    const tm = await c.open('time_and_materials', '100000', 'Gateway port')
    await setRate(sl, {
      rateRole: c.role,
      currency: 'USD',
      rate: '275.00',
      effectiveFrom: '2027-03-15',
      engagementId: tm,
    })
    const fixed = await c.open('fixed_price', '60000', 'Kernel optimization')
    const manage = await c.scopeOf(c.servicesLead, 'services.manage')
    await expect(addMilestone(manage, { engagementId: tm, title: 'Nope', amount: '10' })).rejects.toThrow(
      /Only fixed-price engagements bill by milestone/,
    )
    const m1 = await addMilestone(manage, { engagementId: fixed, title: 'Profiling report', amount: '20,000.00' })
    const m2 = await addMilestone(manage, { engagementId: fixed, title: 'Optimized kernels', amount: '40000' })
    await expect(addMilestone(manage, { engagementId: fixed, title: 'Extra', amount: '0.01' })).rejects.toMatchObject({
      fieldErrors: {
        amount: [expect.stringMatching(/more than the fixed price of \$60,000.00; at most \$0.00 is left/)],
      },
    })

    const mine = await c.scopeOf(c.consultant, 'time.log')
    const leadScope = await c.scopeOf(c.lead, 'time.approve')
    const week = async (engagementId: string, weekStart: string, hours: string[]) => {
      travelTo(`${weekStart}T18:00:00Z`)
      const { timesheetId } = await logWeek(mine, { engagementId, weekStart, hours, task: 'Porting' })
      await decideTimesheet(mine, { timesheetId, action: 'submit' })
      travelTo(`${weekStart}T20:00:00Z`)
      await decideTimesheet(leadScope, { timesheetId, action: 'approve' })
    }
    // March on the T&M engagement: 40 h at $300 (week of 03-01) and 6 h + 4 h at $275 (week of 03-15).
    await week(tm, '2027-03-01', FIVE_DAYS)
    await week(tm, '2027-03-15', ['6', '4', '', '', '', '', ''])
    // Time on the fixed-price engagement burns its budget but is never invoiced.
    await week(fixed, '2027-03-01', ['', '', '', '', '', '4', ''])

    // An expense: the receipt is checked by its content; the person who spent it cannot approve it.
    travelTo('2027-03-10T12:00:00Z')
    const spend = await c.scopeOf(c.consultant, 'expenses.submit')
    const expense = {
      engagementId: tm,
      day: '2027-03-10',
      description: 'Train to the Brightwater lab',
      amount: '184.50',
    }
    await expect(
      submitExpense(spend, expense, { filename: 'receipt.pdf', bytes: new TextEncoder().encode('<html>') }),
    ).rejects.toMatchObject({ fieldErrors: { receipt: [expect.stringMatching(/PNG, a JPEG or a PDF/)] } })
    await expect(
      submitExpense(spend, { ...expense, day: '2027-03-11' }, { filename: 'r.png', bytes: PNG }),
    ).rejects.toMatchObject({
      fieldErrors: { day: ['An expense is submitted once it is spent, not before.'] },
    })
    const { id: expenseId } = await submitExpense(spend, expense, { filename: 'receipt.png', bytes: PNG })
    expect(await db().engagementExpense.count({ where: { engagementId: tm } })).toBe(1)
    await expect(
      decideExpense(await c.scopeOf(c.consultant, 'expenses.approve'), { expenseId, decision: 'approve' }),
    ).rejects.toThrow(/Someone else approves your own expenses/)
    await expect(
      decideExpense(await c.scopeOf(c.lead, 'expenses.approve'), { expenseId, decision: 'reject' }),
    ).rejects.toMatchObject({ fieldErrors: { reason: ['Say why the expense is rejected.'] } })
    await decideExpense(await c.scopeOf(c.lead, 'expenses.approve'), { expenseId, decision: 'approve' })
    await expect(
      db().engagementExpense.update({ where: { id: expenseId }, data: { amountMinor: 1n } }),
    ).rejects.toThrow()

    // Milestone 1: delivered 03-05 (accept by 03-15), returned, delivered again 03-08 (accept by 03-18).
    travelTo('2027-03-05T09:00:00Z')
    const deliver = await c.scopeOf(c.lead, 'time.approve')
    expect(await deliverMilestone(deliver, { milestoneId: m1.id })).toEqual({ acceptBy: '2027-03-15' })
    const customer = await c.scopeOf(c.customerAdmin, 'milestones.accept')
    await expect(decideMilestone(customer, { milestoneId: m1.id, decision: 'return' })).rejects.toMatchObject({
      fieldErrors: { reason: [expect.stringMatching(/Say what is missing/)] },
    })
    await decideMilestone(customer, { milestoneId: m1.id, decision: 'return', reason: 'Add the NPU traces' })
    travelTo('2027-03-08T09:00:00Z')
    expect(await deliverMilestone(deliver, { milestoneId: m1.id })).toEqual({ acceptBy: '2027-03-18' })
    // Customer finance may view but not accept; nobody answers, and the clock does the rest.
    await expect(c.scopeOf(c.customerFinance, 'milestones.accept')).rejects.toThrow()
    travelTo('2027-03-18T23:00:00Z')
    expect(await acceptMilestonesPassively({ organizationId: c.customer.id })).toEqual([])
    travelTo('2027-03-19T05:00:00Z')
    expect(await acceptMilestonesPassively({ organizationId: c.customer.id })).toEqual([m1.id])
    expect(await acceptMilestonesPassively({ organizationId: c.customer.id })).toEqual([])
    const accepted = await db().engagementMilestone.findUniqueOrThrow({ where: { id: m1.id } })
    expect([accepted.status, accepted.acceptedById, accepted.acceptedAt?.toISOString()]).toEqual([
      'accepted',
      null,
      '2027-03-19T05:00:00.000Z',
    ])
    await expect(decideMilestone(customer, { milestoneId: m1.id, decision: 'accept' })).rejects.toThrow(
      /already accepted/,
    )
    // Milestone 2 is delivered in March and accepted by the customer on 04-01: April's invoice.
    travelTo('2027-03-29T09:00:00Z')
    await deliverMilestone(deliver, { milestoneId: m2.id })
    travelTo('2027-04-01T09:00:00Z')
    await decideMilestone(customer, { milestoneId: m2.id, decision: 'accept' })

    // The March run, started twice at once. By hand:
    //   Gateway port: 40 h × $300 = $12,000.00; 10 h × $275 = $2,750.00; expense $184.50 → $14,934.50.
    //   Kernel optimization: milestone 1, $20,000.00 (its 4 h of time are not billed).
    travelTo('2027-04-02T06:00:00Z')
    const runs = await Promise.allSettled([
      runServicesInvoicing({ month: '2027-03' }),
      runServicesInvoicing({ month: '2027-03' }),
    ])
    const billed = runs
      .flatMap((r) => (r.status === 'fulfilled' ? r.value.invoiced : []))
      .filter((b) => b.engagementId === tm || b.engagementId === fixed)
    expect(billed.map((b) => [b.engagementId, b.amount]).sort()).toEqual(
      [
        [tm, '$14,934.50'],
        [fixed, '$20,000.00'],
      ].sort(),
    )
    const tmEntry = billed.find((b) => b.engagementId === tm)!.journalEntryId
    const fixedEntry = billed.find((b) => b.engagementId === fixed)!.journalEntryId
    const r = c.role.replaceAll('_', ' ')
    expect(await linesOf(tmEntry)).toEqual(
      [
        ['services_receivable', 1_200_000n, 0n, `Gateway port: ${r}, 40 h at $300.00/h`],
        ['services_receivable', 275_000n, 0n, `Gateway port: ${r}, 10 h at $275.00/h`],
        ['services_receivable', 18_450n, 0n, 'Gateway port: expense of 2027-03-10, Train to the Brightwater lab'],
        ['services_revenue', 0n, 1_493_450n, 'Gateway port: services'],
      ].sort((a, b) => String(a[3]).localeCompare(String(b[3]))),
    )
    expect(await linesOf(fixedEntry)).toEqual([
      ['services_receivable', 2_000_000n, 0n, 'Kernel optimization: milestone 1, Profiling report'],
      ['services_revenue', 0n, 2_000_000n, 'Kernel optimization: services'],
    ])
    expect(await db().timeEntry.count({ where: { engagementId: fixed, invoiceEntryId: { not: null } } })).toBe(0)
    // Billed once, in the database's words too.
    await expect(
      db().engagementMilestone.update({ where: { id: m1.id }, data: { invoiceEntryId: null } }),
    ).rejects.toThrow()
    await expect(db().engagementMilestone.delete({ where: { id: m1.id } })).rejects.toThrow()

    travelTo('2027-05-01T06:00:00Z')
    const april = (await runServicesInvoicing({ month: '2027-04' })).invoiced.filter((b) => b.engagementId === fixed)
    expect(april.map((b) => b.amount)).toEqual(['$40,000.00'])
  })

  it('change orders version the budget; the customer approves or declines each, and history stays', async () => {
    const c = await cast()
    await setRate(await c.actor(c.servicesLead), {
      rateRole: c.role,
      currency: 'USD',
      rate: '300.00',
      effectiveFrom: '2027-01-01',
    })
    const id = await c.open('time_and_materials', '100000', 'Gateway port')
    const manage = await c.scopeOf(c.servicesLead, 'services.manage')
    const decide = await c.scopeOf(c.customerAdmin, 'change_orders.decide')
    const v2 = await proposeChangeOrder(manage, {
      engagementId: id,
      budgetHours: 500,
      budget: '150000',
      scope: 'Add the second SoC family to the port.',
    })
    expect(v2.version).toBe(2)
    await expect(
      proposeChangeOrder(manage, {
        engagementId: id,
        budgetHours: 600,
        budget: '1',
        scope: 'Another change entirely.',
      }),
    ).rejects.toThrow(/Version 2 is still waiting for the customer/)
    await expect(decideChangeOrder(decide, { changeOrderId: v2.id, decision: 'decline' })).rejects.toMatchObject({
      fieldErrors: { reason: [expect.stringMatching(/Say why/)] },
    })
    await decideChangeOrder(decide, { changeOrderId: v2.id, decision: 'decline', reason: 'Too many hours' })
    const v3 = await proposeChangeOrder(manage, {
      engagementId: id,
      budgetHours: 450,
      budget: '135000',
      endsOn: '2027-08-31',
      scope: 'Add the second SoC family, without the camera pipeline.',
    })
    await decideChangeOrder(decide, { changeOrderId: v3.id, decision: 'approve' })
    await expect(decideChangeOrder(decide, { changeOrderId: v3.id, decision: 'decline', reason: 'x' })).rejects.toThrow(
      /Version 3 is already approved/,
    )
    const e = await db().engagement.findUniqueOrThrow({ where: { id }, include: { changeOrders: true } })
    expect([e.budgetMinutes, e.budgetMinor, e.endsOn?.toISOString().slice(0, 10)]).toEqual([
      450 * 60,
      13_500_000n,
      '2027-08-31',
    ])
    expect(
      e.changeOrders
        .sort((a, b) => a.version - b.version)
        .map((x) => [x.version, x.status, x.decidedById, x.declineReason]),
    ).toEqual([
      [1, 'approved', c.servicesLead.id, null],
      [2, 'declined', c.customerAdmin.id, 'Too many hours'],
      [3, 'approved', c.customerAdmin.id, null],
    ])
    await expect(
      db().engagementChangeOrder.update({ where: { id: v3.id }, data: { budgetMinor: 1n } }),
    ).rejects.toThrow()
    // Customer finance sees engagements but does not decide what the customer buys.
    await expect(c.scopeOf(c.customerFinance, 'change_orders.decide')).rejects.toThrow()
  })
})
