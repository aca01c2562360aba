import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { db } from '../../services/platform/db/client.ts'
import { newId } from '../../services/platform/db/ids.ts'
import { createEngagement } from '../../services/engagements/create-engagement.ts'
import { decideTimesheet } from '../../services/engagements/decide-timesheet.ts'
import { logWeek } from '../../services/engagements/log-week.ts'
import { setEngagementStatus } from '../../services/engagements/set-engagement-status.ts'
import { setRate } from '../../services/engagements/set-rate.ts'
import { actorForUser } from '../../services/identity/sessions.ts'
import { travelTo } from '../../services/platform/clock.ts'
import { tenantScope } from '../../services/tenancy/tenant-guard.ts'
import { startAppServer } from '../support/app-server.ts'
import { signOutsideThePlatform } from '../support/engagements.ts'
import { createOrganization, createUser, ggmlOrganization, unique } from '../support/fixtures.ts'
import { HttpClient } from '../support/http-client.ts'
import { examFixture } from '../support/training.ts'

// Issue 29: an approval queue lists the action, or links to it, not only the work.
let server: Awaited<ReturnType<typeof startAppServer>>
beforeAll(async () => {
  server = await startAppServer()
})
afterAll(() => server.close())

const text = async (res: Response) => (await res.text()).replaceAll('<!-- -->', '')

async function signedIn(email: string, password: string) {
  const http = new HttpClient(server.url)
  await http.signIn(email, password)
  return http
}

describe('the services lead’s approval queue', () => {
  it('approves a week, or returns it with a reason, right in its row', async () => {
    const ggml = await ggmlOrganization()
    const customer = await createOrganization('enterprise', unique('Queue Customer'))
    const servicesLead = await createUser(ggml.id, 'services_lead')
    const lead = await createUser(ggml.id, 'consultant')
    const consultant = await createUser(ggml.id, 'consultant')
    const sl = await actorForUser(servicesLead.id)
    const role = unique('eng').replace(/[^a-z]/g, '_')
    await setRate(sl, { rateRole: role, currency: 'USD', rate: '200.00', effectiveFrom: '2027-01-01' })
    const { id } = await createEngagement(sl, {
      organizationId: customer.id,
      title: unique('Queue engagement'),
      type: 'time_and_materials',
      currency: 'USD',
      startsOn: '2027-03-01',
      endsOn: '2027-06-30',
      leadEmail: lead.email,
      budgetHours: 100,
      budget: '20000',
      team: `${consultant.email} ${role} 90.00\n${lead.email} ${role} 120.00`,
    })
    const manage = await tenantScope(sl, { id: customer.id }, 'services.manage')
    await signOutsideThePlatform(manage, id)
    await setEngagementStatus(manage, { engagementId: id, to: 'active' })
    travelTo('2027-03-06T10:00:00Z')
    const mine = await tenantScope(await actorForUser(consultant.id), { id: customer.id }, 'time.log')
    const { timesheetId } = await logWeek(mine, {
      engagementId: id,
      weekStart: '2027-03-01',
      hours: ['8', '8', '', '', '', '', ''],
      task: 'Kernels',
    })
    await decideTimesheet(mine, { timesheetId, action: 'submit' })

    const http = await signedIn(lead.email, lead.password)
    const home = await text(await http.get('/services'))
    const queue = home.slice(home.indexOf('Weeks waiting for your approval'), home.indexOf('<h2>Engagements'))
    expect(queue).toContain('week of 2027-03-01')
    expect(queue).toContain(`value="${timesheetId}"`)
    expect(queue).toContain('>Approve</button>')
    expect(queue).toContain('>Return</button>')

    const week = { intent: 'week', timesheetId, organizationId: customer.id }
    const returned = await http.post('/services', { ...week, action: 'reject', reason: 'One task per kernel' })
    expect(await text(returned)).toContain('The week is back with its author, with your reason.')
    expect(await db().timesheet.findUniqueOrThrow({ where: { id: timesheetId } })).toMatchObject({
      status: 'draft',
      rejectionReason: 'One task per kernel',
    })
    await decideTimesheet(mine, { timesheetId, action: 'submit' })
    const approved = await http.post('/services', { ...week, action: 'approve' })
    expect(approved.status).toBe(200)
    expect(await text(approved)).toContain('Week approved.')
    expect((await db().timesheet.findUniqueOrThrow({ where: { id: timesheetId } })).status).toBe('approved')
    expect(await text(await http.get('/services'))).toContain('Nothing waits for you.')
  })
})

describe('the instructor’s review queue', () => {
  it('links the count waiting for review to the item bank showing only those items', async () => {
    const { exam, author, reviewer } = await examFixture({ perDomain: 2 })
    const itemId = newId()
    await db().examItem.create({ data: { id: itemId, examId: exam.id, domain: 'alpha' } })
    await db().examItemVersion.create({
      data: {
        id: newId(),
        itemId,
        version: 1,
        kind: 'single',
        stem: 'Which quantization keeps 4 bits per weight?',
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
    const http = await signedIn(reviewer.email, reviewer.password)
    const filtered = `/training/exams/${exam.slug}/items?waiting=review`
    expect(await text(await http.get('/training'))).toContain(`href="${filtered}"`)
    const bank = await text(await http.get(filtered))
    expect(bank).toContain('Showing the 1 item(s) waiting for review of 5.')
    expect(bank).toContain('Which quantization keeps 4 bits per weight?')
    expect(bank).not.toContain('alpha question 0')
  })
})
