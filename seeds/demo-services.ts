import { db } from '../services/platform/db/client.ts'
import { createEngagement } from '../services/engagements/create-engagement.ts'
import { decideTimesheet } from '../services/engagements/decide-timesheet.ts'
import { logWeek, weekOf } from '../services/engagements/log-week.ts'
import { setEngagementStatus } from '../services/engagements/set-engagement-status.ts'
import { decideSignedException } from '../services/engagements/decide-signed-exception.ts'
import { requestSignedException } from '../services/engagements/request-signed-exception.ts'
import { runServicesInvoicing } from '../services/engagements/run-services-invoicing.ts'
import { setRate } from '../services/engagements/set-rate.ts'
import { actorForUser } from '../services/identity/sessions.ts'
import { now, resetClock, travelTo } from '../services/platform/clock.ts'
import { tenantScope } from '../services/tenancy/tenant-guard.ts'
import { addMilestone } from '../services/engagements/add-milestone.ts'
import { decideChangeOrder } from '../services/engagements/decide-change-order.ts'
import { decideExpense } from '../services/engagements/decide-expense.ts'
import { decideMilestone } from '../services/engagements/decide-milestone.ts'
import { deliverMilestone } from '../services/engagements/deliver-milestone.ts'
import { proposeChangeOrder } from '../services/engagements/propose-change-order.ts'
import { submitExpense } from '../services/engagements/submit-expense.ts'

const DAY = 86_400_000
const iso = (t: number) => new Date(t).toISOString().slice(0, 10)

/** A one-line PDF, as a scanned receipt would arrive (the type is checked by content). */
const receiptPdf = (line: string) => {
  const stream = `BT /F1 14 Tf 72 720 Td (${line}) Tj ET`
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ]
  let body = '%PDF-1.4\n'
  const offsets: number[] = []
  objects.forEach((o, i) => {
    offsets.push(body.length)
    body += `${i + 1} 0 obj\n${o}\nendobj\n`
  })
  const xref = body.length
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`
  for (const o of offsets) body += `${String(o).padStart(10, '0')} 00000 n \n`
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`
  return new TextEncoder().encode(body)
}

/**
 * Helix Mutual's time-and-materials engagement, six weeks in: Connor's weeks approved by Sam and
 * last month's invoiced through Stripe, last week submitted and waiting, this week a draft; the
 * standard rate card and a Helix rate from the engagement's third week; an approved expense and a
 * change order Hana approved. Kestrel Devices' fixed-price optimization has one milestone accepted
 * and invoiced and one delivered, waiting for Kai. Brightwater Robotics has a signed fixed-price
 * engagement that has not started. Runs once.
 */
export async function seedDemoServices(): Promise<void> {
  if ((await db().engagement.count()) > 0) return
  const user = async (email: string) => (await db().user.findUniqueOrThrow({ where: { email } })).id
  const org = async (slug: string) => (await db().organization.findUniqueOrThrow({ where: { slug } })).id
  const sam = await actorForUser(await user('services@ggml.example'))
  const ada = await actorForUser(await user('admin@ggml.example'))
  // The demo's statements of work were signed on paper before the platform: Sam records each, Ada approves.
  const signedOnPaper = async (organizationId: string, engagementId: string) => {
    await requestSignedException(await tenantScope(sam, { id: organizationId }, 'services.manage'), {
      engagementId,
      reason: 'Signed on paper at the kickoff meeting; the copy is in the deal folder.',
    })
    await decideSignedException(await tenantScope(ada, { id: organizationId }, 'engagements.view'), {
      engagementId,
      decision: 'approve',
    })
  }
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
    await signedOnPaper(helix, id)
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
    // A train ticket to Helix's office, receipt attached, approved by Sam.
    const tripDay = iso(Date.parse(start) + 9 * DAY)
    travelTo(`${tripDay}T18:00:00Z`)
    const { id: expenseId } = await submitExpense(
      await tenantScope(await actorForUser(connorId), { id: helix }, 'expenses.submit'),
      { engagementId: id, day: tripDay, description: 'Train to the Helix office for the kickoff', amount: '184.50' },
      { filename: 'train-ticket.pdf', bytes: receiptPdf('Train ticket, 184.50 USD') },
    )
    await decideExpense(await tenantScope(sam, { id: helix }, 'expenses.approve'), {
      expenseId,
      decision: 'approve',
    })
    // Helix agreed to more hours for the streaming work: version 2 of the budget, approved by Hana.
    travelTo(`${iso(Date.parse(start) + 20 * DAY)}T10:00:00Z`)
    const co = await proposeChangeOrder(manage, {
      engagementId: id,
      budgetHours: 240,
      budget: '70000',
      scope: 'Add streaming responses in the app and a review of the on-device evaluation suite.',
    })
    const hana = await actorForUser(await user('admin@helix.example'))
    await decideChangeOrder(await tenantScope(hana, { id: helix }, 'change_orders.decide'), {
      changeOrderId: co.id,
      decision: 'approve',
    })

    // Kestrel's fixed-price optimization: the profiling milestone accepted and invoiced, the kernels
    // milestone delivered three days ago and waiting for Kai.
    const kestrel = await org('kestrel-devices')
    const fixedStart = iso(today - 70 * DAY)
    travelTo(`${fixedStart}T09:00:00Z`)
    const opt = await createEngagement(sam, {
      organizationId: kestrel,
      title: 'Kestrel K2 NPU: llama.cpp kernel optimization, fixed price',
      type: 'fixed_price',
      currency: 'USD',
      startsOn: fixedStart,
      endsOn: iso(today + 50 * DAY),
      leadEmail: 'services@ggml.example',
      budgetHours: 320,
      budget: '90000',
      acceptanceDays: 10,
      team: 'consultant@ggml.example engineer 110.00',
    })
    const kManage = await tenantScope(sam, { id: kestrel }, 'services.manage')
    await signedOnPaper(kestrel, opt.id)
    await setEngagementStatus(kManage, { engagementId: opt.id, to: 'active' })
    const m1 = await addMilestone(kManage, { engagementId: opt.id, title: 'Profiling report', amount: '30000' })
    const m2 = await addMilestone(kManage, { engagementId: opt.id, title: 'Optimized Q4 kernels', amount: '60000' })
    const deliver = await tenantScope(sam, { id: kestrel }, 'time.approve')
    travelTo(`${iso(today - 45 * DAY)}T15:00:00Z`)
    await deliverMilestone(deliver, { milestoneId: m1.id })
    travelTo(`${iso(today - 41 * DAY)}T11:00:00Z`)
    const kai = await actorForUser(await user('admin@kestrel.example'))
    await decideMilestone(await tenantScope(kai, { id: kestrel }, 'milestones.accept'), {
      milestoneId: m1.id,
      decision: 'accept',
    })
    travelTo(`${iso(today - 3 * DAY)}T15:00:00Z`)
    await deliverMilestone(deliver, { milestoneId: m2.id })

    // Last month's invoice run: the approved weeks, the expense and the accepted milestone up to its
    // end are billed through Stripe.
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
    await signedOnPaper(bright, fixed.id)
  } finally {
    resetClock()
  }
}
