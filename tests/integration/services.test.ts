import { afterEach, describe, expect, it } from 'vitest'
import { db } from '../../services/platform/db/client.ts'
import { createEngagement } from '../../services/engagements/create-engagement.ts'
import { decideTimesheet } from '../../services/engagements/decide-timesheet.ts'
import { customerEngagements } from '../../services/engagements/engagement-views.ts'
import { logWeek } from '../../services/engagements/log-week.ts'
import { runServicesInvoicing } from '../../services/engagements/run-services-invoicing.ts'
import { repriceUninvoiced } from '../../services/engagements/reprice-uninvoiced.ts'
import { issueInvoiceForEntry } from '../../services/billing/issue-invoice.ts'
import { setEngagementStatus } from '../../services/engagements/set-engagement-status.ts'
import { setRate } from '../../services/engagements/set-rate.ts'
import { actorForUser } from '../../services/identity/sessions.ts'
import { resetClock, travelTo } from '../../services/platform/clock.ts'
import { tenantScope } from '../../services/tenancy/tenant-guard.ts'
import { createOrganization, createUser, ggmlOrganization, unique } from '../support/fixtures.ts'
import { signOutsideThePlatform } from '../support/engagements.ts'

afterEach(() => resetClock())

async function cast() {
  const ggml = await ggmlOrganization()
  const customer = await createOrganization('enterprise', unique('Helix Test'))
  const servicesLead = await createUser(ggml.id, 'services_lead')
  const lead = await createUser(ggml.id, 'consultant')
  const consultant = await createUser(ggml.id, 'consultant')
  const customerAdmin = await createUser(customer.id, 'partner_admin')
  const actor = (u: { id: string }) => actorForUser(u.id)
  const scopeOf = async (u: { id: string }, p: Parameters<typeof tenantScope>[2]) =>
    tenantScope(await actor(u), { id: customer.id }, p)
  return { ggml, customer, servicesLead, lead, consultant, customerAdmin, actor, scopeOf }
}

describe('services engagements', () => {
  it('a week is logged, submitted, approved by the lead at each day’s rate, and then cannot change', async () => {
    const c = await cast()
    const sl = await c.actor(c.servicesLead)
    const role = unique('eng').replace(/[^a-z]/g, '_')
    // Standard $200/h; this customer $180/h from Wednesday 2027-03-03.
    await setRate(sl, { rateRole: role, currency: 'USD', rate: '200.00', effectiveFrom: '2027-01-01' })
    await setRate(sl, {
      rateRole: role,
      currency: 'USD',
      rate: '180.00',
      effectiveFrom: '2027-03-03',
      customerId: c.customer.id,
    })
    const { id } = await createEngagement(sl, {
      organizationId: c.customer.id,
      title: 'Helix on-device inference',
      type: 'time_and_materials',
      currency: 'USD',
      startsOn: '2027-03-01',
      endsOn: '2027-06-30',
      leadEmail: c.lead.email,
      budgetHours: 100,
      budget: '20000',
      team: `${c.consultant.email} ${role} 90.00\n${c.lead.email} ${role} 120.00`,
    })
    const manage = await c.scopeOf(c.servicesLead, 'services.manage')
    await expect(setEngagementStatus(manage, { engagementId: id, to: 'completed' })).rejects.toThrow(
      /A draft engagement cannot become completed/,
    )
    await signOutsideThePlatform(manage, id)
    await setEngagementStatus(manage, { engagementId: id, to: 'active' })

    travelTo('2027-03-06T10:00:00Z')
    const mine = await c.scopeOf(c.consultant, 'time.log')
    await expect(
      logWeek(mine, {
        engagementId: id,
        weekStart: '2027-03-01',
        hours: ['7.3', '', '', '', '', '', ''],
        task: 'Kernels',
      }),
    ).rejects.toThrow(/Check the hours/)
    const { timesheetId } = await logWeek(mine, {
      engagementId: id,
      weekStart: '2027-03-01',
      hours: ['8', '7.5', '8', '6.25', '', '', ''],
      task: 'Quantization kernels for Helix NPUs',
    })
    // The person who logged it cannot approve it; a colleague who is not the lead cannot either.
    await decideTimesheet(mine, { timesheetId, action: 'submit' })
    await expect(
      decideTimesheet(await c.scopeOf(c.consultant, 'time.approve'), { timesheetId, action: 'approve' }),
    ).rejects.toThrow(/cannot decide your own week/)
    const leadScope = await c.scopeOf(c.lead, 'time.approve')
    await decideTimesheet(leadScope, { timesheetId, action: 'reject', reason: 'Split the task per kernel' })
    expect((await db().timesheet.findUniqueOrThrow({ where: { id: timesheetId } })).rejectionReason).toBe(
      'Split the task per kernel',
    )
    await decideTimesheet(mine, { timesheetId, action: 'submit' })
    await decideTimesheet(leadScope, { timesheetId, action: 'approve' })

    // By hand: Mon 8 h + Tue 7.5 h at $200 = $3,100.00; Wed 8 h + Thu 6.25 h at $180 = $2,565.00.
    const entries = await db().timeEntry.findMany({ where: { timesheetId }, orderBy: { day: 'asc' } })
    expect(entries.map((e) => [e.day.toISOString().slice(0, 10), e.rateMinor, e.amountMinor])).toEqual([
      ['2027-03-01', 20_000n, 160_000n],
      ['2027-03-02', 20_000n, 150_000n],
      ['2027-03-03', 18_000n, 144_000n],
      ['2027-03-04', 18_000n, 112_500n],
    ])
    // Approved time is locked in the database: no edit, no deletion, no new entry.
    await expect(db().timeEntry.update({ where: { id: entries[0]!.id }, data: { minutes: 60 } })).rejects.toThrow()
    await expect(db().timeEntry.delete({ where: { id: entries[0]!.id } })).rejects.toThrow()
    await expect(
      logWeek(mine, { engagementId: id, weekStart: '2027-03-01', hours: ['1', '', '', '', '', '', ''], task: 'more' }),
    ).rejects.toThrow(/only a draft week can change/)
    // A later rate does not re-price approved time by itself: the services lead is asked first.
    await setRate(sl, {
      rateRole: role,
      currency: 'USD',
      rate: '250.00',
      effectiveFrom: '2027-03-02',
      customerId: c.customer.id,
    })
    expect((await db().timeEntry.findMany({ where: { timesheetId } })).map((e) => e.amountMinor).sort()).toEqual(
      [112_500n, 144_000n, 150_000n, 160_000n].sort(),
    )
    expect(await repriceUninvoiced(sl, { rateRole: role, currency: 'USD' }, false)).toEqual({
      entries: 1, // Tuesday: 7.5 h at $250 instead of $200 (Wednesday on, the $180 from 03-03 still rules)
      delta: '$375.00',
    })
    await decideTimesheet(leadScope, { timesheetId, action: 'lock' })
    await expect(decideTimesheet(leadScope, { timesheetId, action: 'reject', reason: 'late' })).rejects.toThrow(
      /This week is locked/,
    )

    // The invoice run for March, started twice at once: one posting bills the four entries, once.
    travelTo('2027-04-02T06:00:00Z')
    await expect(runServicesInvoicing({ month: '2027-04' })).rejects.toThrow(/Check the month/)
    const runs = await Promise.allSettled([
      runServicesInvoicing({ month: '2027-03' }),
      runServicesInvoicing({ month: '2027-03' }, sl),
    ])
    // Other test files share the database: only this engagement's billing is this test's to check.
    const billed = runs
      .flatMap((r) => (r.status === 'fulfilled' ? r.value.invoiced : []))
      .filter((b) => b.engagementId === id)
    expect(billed).toEqual([{ engagementId: id, journalEntryId: expect.any(String), amount: '$5,665.00' }])
    const after = await db().timeEntry.findMany({ where: { timesheetId } })
    expect(new Set(after.map((e) => e.invoiceEntryId))).toEqual(new Set([billed[0]!.journalEntryId]))
    expect((await db().timesheet.findUniqueOrThrow({ where: { id: timesheetId } })).status).toBe('invoiced')
    expect((await runServicesInvoicing({ month: '2027-03' })).invoiced.filter((b) => b.engagementId === id)).toEqual([])
    // Invoiced time keeps its price: nothing is left to re-price, and the database refuses it anyway.
    expect(await repriceUninvoiced(sl, { rateRole: role, currency: 'USD' }, true)).toEqual({
      entries: 0,
      delta: '$0.00',
    })
    await expect(db().timeEntry.update({ where: { id: after[0]!.id }, data: { amountMinor: 1n } })).rejects.toThrow()
    await expect(
      db().timeEntry.update({ where: { id: after[0]!.id }, data: { invoiceEntryId: null } }),
    ).rejects.toThrow()
    const lines = await db().journalLine.findMany({
      where: { entryId: billed[0]!.journalEntryId },
      include: { account: { select: { type: true } } },
    })
    expect(
      lines
        .map((l) => [l.account.type, l.debitMinor, l.creditMinor, l.memo])
        .sort((a, b) => String(a[3]).localeCompare(String(b[3]))),
    ).toEqual(
      [
        [
          'services_receivable',
          310_000n,
          0n,
          `Helix on-device inference: ${role.replaceAll('_', ' ')}, 15.5 h at $200.00/h`,
        ],
        [
          'services_receivable',
          256_500n,
          0n,
          `Helix on-device inference: ${role.replaceAll('_', ' ')}, 14.25 h at $180.00/h`,
        ],
        ['services_revenue', 0n, 566_500n, 'Helix on-device inference: services'],
      ].sort((a, b) => String(a[3]).localeCompare(String(b[3]))),
    )
    // Billed through Stripe by the job's real work (not the whole queue: other tests' retries share it).
    await issueInvoiceForEntry(billed[0]!.journalEntryId)
    const invoice = await db().invoice.findUniqueOrThrow({ where: { journalEntryId: billed[0]!.journalEntryId } })
    expect([invoice.amountDueMinor, invoice.currency, invoice.status]).toEqual([566_500n, 'USD', 'open'])

    // The customer sees approved hours by week and role, and the burn.
    const portal = await customerEngagements(await c.scopeOf(c.customerAdmin, 'engagements.view'))
    expect(portal[0]!.burn.hours).toBe('29.75 h')
    expect(portal[0]!.burn.amount).toBe('$5,665.00')
    expect(portal[0]!.weeks).toEqual([{ week: '2027-03-01', roles: `${role.replaceAll('_', ' ')} 29.75 h` }])
  })

  it('keeps consultants to their own engagements and customers to their own', async () => {
    const c = await cast()
    const sl = await c.actor(c.servicesLead)
    const { id } = await createEngagement(sl, {
      organizationId: c.customer.id,
      title: 'Other work',
      type: 'time_and_materials',
      currency: 'USD',
      startsOn: '2027-03-01',
      leadEmail: c.lead.email,
      budgetHours: 10,
      budget: '2000',
      team: `${c.lead.email} engineer 90.00`,
    })
    const manage = await c.scopeOf(c.servicesLead, 'services.manage')
    await signOutsideThePlatform(manage, id)
    await setEngagementStatus(manage, { engagementId: id, to: 'active' })
    travelTo('2027-03-06T10:00:00Z')
    await expect(
      logWeek(await c.scopeOf(c.consultant, 'time.log'), {
        engagementId: id,
        weekStart: '2027-03-01',
        hours: ['8', '', '', '', '', '', ''],
        task: 'sneaking in',
      }),
    ).rejects.toThrow(/not on this engagement’s team/)
    const other = await createOrganization('enterprise', unique('Other Co'))
    const otherAdmin = await createUser(other.id, 'partner_admin')
    const seen = await customerEngagements(
      await tenantScope(await c.actor(otherAdmin), { id: other.id }, 'engagements.view'),
    )
    expect(seen).toEqual([])
  })

  it('alerts at 50, 75, 90 and 100% of the budget once each, as approved time reaches them', async () => {
    const c = await cast()
    const sl = await c.actor(c.servicesLead)
    const role = unique('alert').replace(/[^a-z]/g, '_')
    await setRate(sl, { rateRole: role, currency: 'USD', rate: '200.00', effectiveFrom: '2027-01-01' })
    const { id } = await createEngagement(sl, {
      organizationId: c.customer.id,
      title: 'Small budget',
      type: 'time_and_materials',
      currency: 'USD',
      startsOn: '2027-03-01',
      leadEmail: c.lead.email,
      budgetHours: 10,
      budget: '2500',
      team: `${c.consultant.email} ${role} 90.00`,
    })
    const manage = await c.scopeOf(c.servicesLead, 'services.manage')
    await signOutsideThePlatform(manage, id)
    await setEngagementStatus(manage, { engagementId: id, to: 'active' })
    const mine = await c.scopeOf(c.consultant, 'time.log')
    const leadScope = await c.scopeOf(c.lead, 'time.approve')
    const week = async (weekStart: string, hours: string[]) => {
      travelTo(`${weekStart}T18:00:00Z`)
      const { timesheetId } = await logWeek(mine, { engagementId: id, weekStart, hours, task: 'Porting' })
      await decideTimesheet(mine, { timesheetId, action: 'submit' })
      await decideTimesheet(leadScope, { timesheetId, action: 'approve' })
    }
    const alerts = async () =>
      (await db().engagementBudgetAlert.findMany({ where: { engagementId: id } }))
        .map((a) => `${a.measure} ${a.threshold}`)
        .sort()
    const mails = () =>
      db().outboxMessage.count({
        where: { jobName: 'email.send', payload: { path: ['to'], equals: c.lead.email } },
      })
    await week('2027-03-01', ['8', '', '', '', '', '', '']) // 8 of 10 h, $1,600 of $2,500
    expect(await alerts()).toEqual(['hours 50', 'hours 75', 'money 50'])
    expect(await mails()).toBe(2) // one email per measure, naming the highest threshold reached
    await week('2027-03-08', ['1', '', '', '', '', '', '']) // 9 h, $1,800
    expect(await alerts()).toEqual(['hours 50', 'hours 75', 'hours 90', 'money 50'])
    await week('2027-03-15', ['2', '', '', '', '', '', '']) // 11 h, $2,200
    expect(await alerts()).toEqual(['hours 100', 'hours 50', 'hours 75', 'hours 90', 'money 50', 'money 75'])
    expect(await mails()).toBe(5)

    // A new standard rate from 03-08, and the lead agrees to re-price what is approved but not invoiced.
    await setRate(sl, { rateRole: role, currency: 'USD', rate: '220.00', effectiveFrom: '2027-03-08' })
    const preview = await repriceUninvoiced(sl, { rateRole: role, currency: 'USD' }, false)
    expect(preview).toEqual({ entries: 2, delta: '$60.00' }) // 1 h + 2 h at $20 more
    expect(await repriceUninvoiced(sl, { rateRole: role, currency: 'USD' }, true)).toEqual(preview)
    const total = await db().timeEntry.aggregate({ where: { engagementId: id }, _sum: { amountMinor: true } })
    expect(total._sum.amountMinor).toBe(160_000n + 22_000n + 44_000n)
  })
})
