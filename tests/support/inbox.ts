import { db } from '../../services/platform/db/client.ts'
import { newId } from '../../services/platform/db/ids.ts'
import { addMilestone } from '../../services/engagements/add-milestone.ts'
import { createEngagement } from '../../services/engagements/create-engagement.ts'
import { decideTimesheet } from '../../services/engagements/decide-timesheet.ts'
import { deliverMilestone } from '../../services/engagements/deliver-milestone.ts'
import { logWeek } from '../../services/engagements/log-week.ts'
import { setEngagementStatus } from '../../services/engagements/set-engagement-status.ts'
import { setRate } from '../../services/engagements/set-rate.ts'
import { submitExpense } from '../../services/engagements/submit-expense.ts'
import { actorForUser } from '../../services/identity/sessions.ts'
import { travelTo } from '../../services/platform/clock.ts'
import { tenantScope } from '../../services/tenancy/tenant-guard.ts'
import { acceptedResultRows } from './certification.ts'
import { signOutsideThePlatform } from './engagements.ts'
import { createOrganization, createUser, ggmlOrganization, unique } from './fixtures.ts'

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])

/**
 * A customer with two engagements led by one consultant: on the time-and-materials one a consultant's
 * week and an expense wait for the lead; on the fixed-price one a milestone waits for the customer.
 */
export async function servicesWork() {
  travelTo('2027-03-10T10:00:00Z')
  const ggml = await ggmlOrganization()
  const customer = await createOrganization('enterprise', unique('Inbox Customer'))
  const servicesLead = await createUser(ggml.id, 'services_lead')
  const lead = await createUser(ggml.id, 'consultant')
  const consultant = await createUser(ggml.id, 'consultant')
  const customerAdmin = await createUser(customer.id, 'partner_admin')
  const sl = await actorForUser(servicesLead.id)
  const role = unique('eng').replace(/[^a-z]/g, '_')
  await setRate(sl, { rateRole: role, currency: 'USD', rate: '200.00', effectiveFrom: '2027-01-01' })
  const manage = await tenantScope(sl, { id: customer.id }, 'services.manage')
  const open = async (type: 'time_and_materials' | 'fixed_price', title: string) => {
    const { id } = await createEngagement(sl, {
      organizationId: customer.id,
      title,
      type,
      currency: 'USD',
      startsOn: '2027-03-01',
      endsOn: '2027-06-30',
      leadEmail: lead.email,
      budgetHours: 100,
      budget: '20000',
      acceptanceDays: 10,
      team: `${consultant.email} ${role} 90.00\n${lead.email} ${role} 120.00`,
    })
    await signOutsideThePlatform(manage, id)
    await setEngagementStatus(manage, { engagementId: id, to: 'active' })
    return id
  }
  const tm = await open('time_and_materials', unique('Kernel port'))
  const fixed = await open('fixed_price', unique('Profiling'))
  const mine = await tenantScope(await actorForUser(consultant.id), { id: customer.id }, 'time.log')
  const { timesheetId } = await logWeek(mine, {
    engagementId: tm,
    weekStart: '2027-03-01',
    hours: ['8', '8', '', '', '', '', ''],
    task: 'Kernels',
  })
  await decideTimesheet(mine, { timesheetId, action: 'submit' })
  const spend = await tenantScope(await actorForUser(consultant.id), { id: customer.id }, 'expenses.submit')
  const { id: expenseId } = await submitExpense(
    spend,
    { engagementId: tm, day: '2027-03-09', description: 'Train to the customer', amount: '120.00' },
    { filename: 'receipt.png', bytes: PNG },
  )
  const m = await addMilestone(manage, { engagementId: fixed, title: 'Profiling report', amount: '5000' })
  await deliverMilestone(await tenantScope(await actorForUser(lead.id), { id: customer.id }, 'time.approve'), {
    milestoneId: m.id,
  })
  return { customer, servicesLead, lead, consultant, customerAdmin, timesheetId, expenseId, milestoneId: m.id }
}

/** A badge held for a certification engineer's review, in a partner of its own. */
export async function heldBadge(organizationId: string) {
  const { requestId, resultId } = await acceptedResultRows(organizationId)
  const id = newId()
  const speed = { n: 8, ts: 41.8, sd: 0.2 }
  await db().certBadge.create({
    data: {
      id,
      organizationId,
      requestId,
      resultId,
      assurance: 'held',
      summary: { shape: 'tiny', type: 'F16', pp: { ...speed, ts: 612 }, tg: speed, cpu: 'x86', backends: ['CPU'] },
    },
  })
  return id
}
