import { db } from '../services/db/client.ts'
import { createEngagement } from '../services/engagements/create-engagement.ts'
import { decideTimesheet } from '../services/engagements/decide-timesheet.ts'
import { logWeek, weekOf } from '../services/engagements/log-week.ts'
import { setEngagementStatus } from '../services/engagements/set-engagement-status.ts'
import { runServicesInvoicing } from '../services/engagements/run-services-invoicing.ts'
import { setRate } from '../services/engagements/set-rate.ts'
import { actorForUser } from '../services/identity/sessions.ts'
import { now, resetClock, travelTo } from '../services/platform/clock.ts'
import { tenantScope } from '../services/tenancy/tenant-guard.ts'

const DAY = 86_400_000
const iso = (t: number) => new Date(t).toISOString().slice(0, 10)

/**
 * Helix Mutual's time-and-materials engagement, six weeks in: Connor's weeks approved by Sam and
 * last month's invoiced through Stripe, last week submitted and waiting, this week a draft; the
 * standard rate card and a Helix rate from the engagement's third week. Brightwater Robotics has a signed fixed-price
 * engagement that has not started. Runs once.
 */
export async function seedDemoServices(): Promise<void> {
  if ((await db().engagement.count()) > 0) return
  const user = async (email: string) => (await db().user.findUniqueOrThrow({ where: { email } })).id
  const org = async (slug: string) => (await db().organization.findUniqueOrThrow({ where: { slug } })).id
  const sam = await actorForUser(await user('services@ggml.example'))
  const connorId = await user('consultant@ggml.example')
  const today = now().getTime()
  const start = weekOf(iso(today - 42 * DAY))
  const helix = await org('helix-mutual')
  try {
    travelTo(`${start}T08:00:00Z`)
    await setRate(sam, {
      rateRole: 'engineer',
      currency: 'USD',
      rate: '250.00',
      effectiveFrom: `${start.slice(0, 4)}-01-01`,
    })
    await setRate(sam, {
      rateRole: 'principal_engineer',
      currency: 'USD',
      rate: '400.00',
      effectiveFrom: `${start.slice(0, 4)}-01-01`,
    })
    await setRate(sam, {
      rateRole: 'engineer',
      currency: 'USD',
      rate: '230.00',
      effectiveFrom: iso(Date.parse(start) + 14 * DAY),
      customerId: helix,
    })
    const { id } = await createEngagement(sam, {
      organizationId: helix,
      title: 'Helix on-device assistant: llama.cpp integration',
      type: 'time_and_materials',
      currency: 'USD',
      startsOn: start,
      endsOn: iso(Date.parse(start) + 180 * DAY),
      leadEmail: 'services@ggml.example',
      budgetHours: 200,
      budget: '60000',
      team: 'consultant@ggml.example engineer 110.00\nservices@ggml.example principal_engineer 180.00',
    })
    const manage = await tenantScope(sam, { id: helix }, 'services.manage')
    await setEngagementStatus(manage, { engagementId: id, to: 'signed' })
    await setEngagementStatus(manage, { engagementId: id, to: 'active' })
    const connor = await tenantScope(await actorForUser(connorId), { id: helix }, 'time.log')
    const approve = await tenantScope(sam, { id: helix }, 'time.approve')
    const tasks = [
      'Build integration on the Helix Android app',
      'Quantization study: Q4_0 vs Q8_0 on Helix phones',
      'Prompt cache for the claims assistant',
      'Latency profiling on mid-range devices',
      'Memory budget and model swapping',
      'Streaming responses in the app',
      'Review of the on-device evaluation suite',
    ]
    for (let w = 0; w <= 6; w++) {
      const weekStart = iso(Date.parse(start) + w * 7 * DAY)
      if (Date.parse(weekStart) > today) break
      travelTo(`${iso(Math.min(Date.parse(weekStart) + 4 * DAY, today))}T17:00:00Z`)
      const hours = w === 3 ? ['8', '8', '8', '8', '8', '', ''] : ['7.5', '8', '6', '8', '7', '', '']
      const { timesheetId } = await logWeek(connor, { engagementId: id, weekStart, hours, task: tasks[w]! })
      const current = Date.parse(weekStart) + 7 * DAY > today
      if (current) continue // this week stays a draft
      await decideTimesheet(connor, { timesheetId, action: 'submit' })
      if (Date.parse(weekStart) + 14 * DAY > today) continue // last week waits for Sam
      await decideTimesheet(approve, { timesheetId, action: 'approve' })
      if (w < 2) await decideTimesheet(approve, { timesheetId, action: 'lock' })
    }
    // Last month's invoice run: the approved weeks up to its end are billed through Stripe.
    travelTo(new Date(today).toISOString())
    const d = new Date(today)
    await runServicesInvoicing({
      month: new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1)).toISOString().slice(0, 7),
    })
    const bright = await org('brightwater-robotics')
    const fixed = await createEngagement(sam, {
      organizationId: bright,
      title: 'Brightwater robot arm: on-device planning model, fixed price',
      type: 'fixed_price',
      currency: 'USD',
      startsOn: iso(today + 14 * DAY),
      endsOn: iso(today + 120 * DAY),
      leadEmail: 'services@ggml.example',
      budgetHours: 400,
      budget: '120000',
      team: 'consultant@ggml.example engineer 110.00',
    })
    await setEngagementStatus(await tenantScope(sam, { id: bright }, 'services.manage'), {
      engagementId: fixed.id,
      to: 'signed',
    })
  } finally {
    resetClock()
  }
}
