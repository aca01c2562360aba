import { createHmac, timingSafeEqual } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bootLocalStripe, type LocalStripe } from '../../fakes/stripe/local-stripe.ts'
import { bootLocalDocuSign } from '../../fakes/docusign/boot-local-docusign.ts'
import { approveContractVersion } from '#services/contracts/approve-contract.ts'
import { draftContract } from '#services/contracts/draft-contract.ts'
import { openSigningSession } from '#services/contracts/open-signing-session.ts'
import { sendForSignature } from '#services/contracts/send-for-signature.ts'
import { submitForApproval } from '#services/contracts/submit-for-approval.ts'
import { createApiToken } from '#services/api-tokens/create-api-token.ts'
import { reviewBadge } from '#services/certification/review-badge.ts'
import { hybridTerms } from '#services/rating/sample-terms.ts'
import { db } from '#services/platform/db/client.ts'
import { newId } from '#services/platform/db/ids.ts'
import { MAX_ENDPOINTS, registerWebhookEndpoint } from '#services/webhooks/register-webhook-endpoint.ts'
import { resendWebhookDelivery } from '#services/webhooks/resend-webhook-delivery.ts'
import { deliverWebhook } from '#services/webhooks/deliver-webhook.ts'
import { WaitingFor } from '#services/platform/jobs/waiting-for.ts'
import { retryDueWebhooks } from '#services/webhooks/retry-due-webhooks.ts'
import { rotateWebhookSecret } from '#services/webhooks/rotate-webhook-secret.ts'
import { runDunning } from '#services/billing/dunning.ts'
import { settleResult } from '#services/certification/settle-result.ts'
import { createEngagement } from '#services/engagements/create-engagement.ts'
import { runServicesInvoicing } from '#services/engagements/run-services-invoicing.ts'
import { setEngagementStatus } from '#services/engagements/set-engagement-status.ts'
import { setRate } from '#services/engagements/set-rate.ts'
import { signOutsideThePlatform } from '../support/engagements.ts'
import { travelTo } from '#services/platform/clock.ts'
import { verifyWebhookSignature } from '#services/webhooks/sign-webhook.ts'
import { webhookEventTypes } from '#services/webhooks/webhook-events.ts'
import { startAppServer } from '../support/app-server.ts'
import { actorFor, completeSigning, contractCast, scopeFor, termsStartingToday } from '../support/contracts.ts'
import { createOrganization, createUser, ggmlOrganization, unique } from '../support/fixtures.ts'
import { acceptedResultRows } from '../support/certification.ts'
import { HttpClient } from '../support/http-client.ts'
import { drainJobs } from '../support/jobs.ts'
import { report, row, signedContractFor } from '../support/royalties.ts'
import { AFTER_THE_DATA, livingAt } from '../support/time.ts'

// Issue 32: a partner's systems are told what happened, signed, at least once, from the outbox.
livingAt()

interface Received {
  id: string
  type: string
  data: Record<string, unknown>
  signatureValid: boolean
}

/**
 * The verification snippet partners copy from docs/webhooks.md, run as written: every delivery the
 * receivers below accept must pass it too, so the docs cannot drift from what we send.
 */
const docsVerify: (rawBody: string, header: string, secret: string) => boolean = (() => {
  const doc = readFileSync(new URL('../../docs/webhooks.md', import.meta.url), 'utf8')
  const code = /```js\n([\s\S]*?)```/.exec(doc)![1]!
  const body = code.replace(/^import .*$/m, '').replace('export function verify', 'function verify')
  // The docs' snippet, evaluated with the two functions its import line names.
  return new Function('createHmac', 'timingSafeEqual', `${body}\nreturn verify`)(createHmac, timingSafeEqual)
})()

/** A partner's receiver: verifies each delivery's signature as the docs tell partners to. */
async function receiver(secretOf: () => string, initialStatus = 200) {
  const received: Received[] = []
  const raw: { header: string; body: string }[] = []
  const answer = { status: initialStatus }
  let calls = 0
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      calls++
      const body = Buffer.concat(chunks).toString('utf8')
      const header = String(req.headers['ggml-signature'] ?? '')
      raw.push({ header, body })
      const signatureValid =
        verifyWebhookSignature(header, body, secretOf(), Math.floor(Date.now() / 1000)) &&
        docsVerify(body, header, secretOf())
      const event = JSON.parse(body) as Omit<Received, 'signatureValid'>
      const status = answer.status
      if (status < 300) received.push({ ...event, signatureValid })
      res.writeHead(status, { 'Content-Type': 'text/plain' }).end(status < 300 ? 'ok' : 'down for maintenance')
    })
  })
  server.listen(0, '127.0.0.1')
  await new Promise<void>((r) => server.once('listening', () => r()))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/ggml/webhooks`,
    received,
    raw,
    answer,
    calls: () => calls,
    close: () => new Promise<void>((r) => server.close(() => r())),
  }
}

let server: Awaited<ReturnType<typeof startAppServer>>
let stripe: LocalStripe
beforeAll(async () => {
  server = await startAppServer()
  stripe = await bootLocalStripe({ webhookUrl: `${server.url}/webhooks/stripe` })
})
afterAll(async () => {
  await stripe.close()
  await server.close()
})

// Deliveries to one endpoint go one at a time: the next waits (delayed) for the slot; waited for here.
const deliver = () => drainJobs(30_000, ['webhooks.deliver'])
const settle = async () => {
  await deliver()
  await stripe.settled()
  await deliver()
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

async function badgeOf(organizationId: string): Promise<string> {
  const { requestId, resultId } = await acceptedResultRows(organizationId)
  const id = newId()
  await db().certBadge.create({
    data: { id, organizationId, requestId, resultId, assurance: 'held', summary: {} },
  })
  return id
}

describe('outgoing webhooks', () => {
  it('tells a receiver of a report posted, its invoice issued and paid, a badge revoked, each once', async () => {
    const c = await signedContractFor(
      hybridTerms({ term: { start: '2027-01-01', end: '2029-12-31', renewal: { kind: 'none' } } }),
    )
    const admin = await scopeFor(c.partnerAdmin.id, c.partner.id, 'api_tokens.create')
    let secret = ''
    const partner = await receiver(() => secret)
    ;({ secret } = await registerWebhookEndpoint(admin, { url: partner.url, events: [...webhookEventTypes] }))
    // Another organization's endpoint, listening to everything: it must hear nothing of this partner.
    const other = await signedContractFor(hybridTerms())
    let otherSecret = ''
    const bystander = await receiver(() => otherSecret)
    const otherAdmin = await scopeFor(other.partnerAdmin.id, other.partner.id, 'api_tokens.create')
    ;({ secret: otherSecret } = await registerWebhookEndpoint(otherAdmin, {
      url: bystander.url,
      events: [...webhookEventTypes],
    }))
    try {
      const { secret: token } = await createApiToken(admin, { name: 'ERP', scopes: ['reports:write'] })
      const posted = await fetch(`${server.url}/api/v1/reports`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Idempotency-Key': 'q1' },
        body: JSON.stringify({ contractId: c.contract.id, period: '2027-Q1', lines: [row('Premium', 1000)] }),
      })
      expect(posted.status).toBe(201)
      const { reportId } = (await posted.json()) as { reportId: string }
      await settle()
      const invoice = await db().invoice.findFirstOrThrow({ where: { organizationId: c.partner.id, reportId } })
      // Unpaid the day after it fell due: overdue, said once however many dunning runs see it.
      travelTo(new Date(invoice.dueDate!.getTime() + 2 * 86_400_000))
      await runDunning()
      await runDunning()
      await deliver()
      await fetch(`${stripe.apiBase}/i/${invoice.stripeInvoiceId}/pay`, { method: 'POST', redirect: 'manual' })
      await settle()
      const badgeId = await badgeOf(c.partner.id)
      const engineer = await createUser((await ggmlOrganization()).id, 'certification_engineer')
      await reviewBadge(await actorFor(engineer.id), badgeId, 'reject', 'measured on another product')
      await deliver()

      const got = partner.received
      expect(got.every((e) => e.signatureValid)).toBe(true)
      expect(new Set(got.map((e) => e.id)).size, 'each event once').toBe(got.length)
      const about = (type: string, key: string, value: string) =>
        got.filter((e) => e.type === type && e.data[key] === value)
      expect(about('report.posted', 'reportId', reportId)).toHaveLength(1)
      expect(about('invoice.issued', 'invoiceId', invoice.id)).toHaveLength(1)
      expect(about('invoice.paid', 'invoiceId', invoice.id)).toHaveLength(1)
      expect(about('badge.revoked', 'badgeId', badgeId)).toHaveLength(1)
      const order = got.map((e) => e.id)
      expect(order.indexOf(about('report.posted', 'reportId', reportId)[0]!.id)).toBeLessThan(
        order.indexOf(about('invoice.issued', 'invoiceId', invoice.id)[0]!.id),
      )
      expect(about('invoice.overdue', 'invoiceId', invoice.id)).toHaveLength(1)
      expect(order.indexOf(about('invoice.issued', 'invoiceId', invoice.id)[0]!.id)).toBeLessThan(
        order.indexOf(about('invoice.overdue', 'invoiceId', invoice.id)[0]!.id),
      )
      expect(order.indexOf(about('invoice.overdue', 'invoiceId', invoice.id)[0]!.id)).toBeLessThan(
        order.indexOf(about('invoice.paid', 'invoiceId', invoice.id)[0]!.id),
      )
      expect(JSON.stringify(bystander.received)).not.toContain(c.partner.id)
      expect(bystander.received.map((e) => e.data.reportId)).not.toContain(reportId)
      // Every attempt is on record with its request, response and timing.
      const deliveries = await db().webhookDelivery.findMany({ where: { organizationId: c.partner.id } })
      expect(deliveries.length).toBe(got.length)
      expect(deliveries.every((d) => d.succeeded && d.responseStatus === 200 && d.responseBody === 'ok')).toBe(true)
      // Resent from the deliveries list: the same event id again, for the receiver to recognise.
      const first = deliveries.find((d) => d.eventId === about('report.posted', 'reportId', reportId)[0]!.id)!
      await resendWebhookDelivery(admin, first.id)
      await deliver()
      expect(got.filter((e) => e.id === first.eventId)).toHaveLength(2)
    } finally {
      await partner.close()
      await bystander.close()
    }
  })

  it('tells of a credit note, a failed certification run and an engagement invoiced, each to its owner', async () => {
    // A partner restates a quarter down: the credit note against its open invoice is announced.
    const c = await signedContractFor(
      hybridTerms({ term: { start: '2027-01-01', end: '2029-12-31', renewal: { kind: 'none' } } }),
    )
    const admin = await scopeFor(c.partnerAdmin.id, c.partner.id, 'api_tokens.create')
    let secret = ''
    const partner = await receiver(() => secret)
    ;({ secret } = await registerWebhookEndpoint(admin, {
      url: partner.url,
      events: ['credit_note.issued', 'certification.job.failed', 'engagement.invoiced'],
    }))
    // A services customer with its own endpoint.
    const ggml = await ggmlOrganization()
    const customer = await createOrganization('enterprise', unique('Webhook Customer'))
    const customerAdmin = await createUser(customer.id, 'partner_admin')
    let customerSecret = ''
    const theirs = await receiver(() => customerSecret)
    ;({ secret: customerSecret } = await registerWebhookEndpoint(
      await scopeFor(customerAdmin.id, customer.id, 'api_tokens.create'),
      { url: theirs.url, events: ['credit_note.issued', 'certification.job.failed', 'engagement.invoiced'] },
    ))
    try {
      await report(c.partnerScope, c.contract.id, '2027-Q1', [row('Premium', 1_000_000)])
      await settle()
      await report(c.partnerScope, c.contract.id, '2027-Q1', [row('Premium', 500_000)], { restatement: true })
      await settle()
      const note = await db().creditNote.findFirstOrThrow({ where: { organizationId: c.partner.id } })
      const notes = partner.received.filter((e) => e.type === 'credit_note.issued')
      expect(notes.map((e) => [e.data.creditNoteId, e.data.amountMinor, e.data.invoiceId])).toEqual([
        [note.id, note.amountMinor.toString(), note.invoiceId],
      ])

      // A certification run's result is rejected: the job's failure and the checks that failed.
      const { resultId } = await acceptedResultRows(c.partner.id)
      const result = await db().certResult.findUniqueOrThrow({ where: { id: resultId } })
      const job = await db().certJob.update({ where: { id: result.jobId }, data: { status: 'running' } })
      await db().$transaction((tx) =>
        settleResult(tx, {
          job,
          resultId,
          runnerId: result.runnerId,
          payload: { records: [], hardware: {} },
          checks: [{ check: 'signature', ok: false, detail: 'does not verify' }],
        }),
      )
      await deliver()
      expect(
        partner.received
          .filter((e) => e.type === 'certification.job.failed')
          .map((e) => [e.data.jobId, e.data.failedChecks]),
      ).toEqual([[job.id, 'signature']])

      // A month of the customer's engagement is invoiced: told to the customer alone.
      const lead = await actorFor((await createUser(ggml.id, 'services_lead')).id)
      const consultant = await createUser(ggml.id, 'consultant')
      const role = unique('eng').replace(/[^a-z]/g, '_')
      await setRate(lead, { rateRole: role, currency: 'USD', rate: '200.00', effectiveFrom: '2027-01-01' })
      const { id: engagementId } = await createEngagement(lead, {
        organizationId: customer.id,
        title: 'Webhook engagement',
        type: 'time_and_materials',
        currency: 'USD',
        startsOn: '2027-03-01',
        endsOn: '2027-06-30',
        leadEmail: consultant.email,
        budgetHours: 100,
        budget: '20000',
        team: `${consultant.email} ${role} 90.00`,
      })
      const manage = await scopeFor((await createUser(ggml.id, 'services_lead')).id, customer.id, 'services.manage')
      await signOutsideThePlatform(manage, engagementId)
      await setEngagementStatus(manage, { engagementId, to: 'active' })
      await db().engagementExpense.create({
        data: {
          id: newId(),
          organizationId: customer.id,
          engagementId,
          userId: consultant.id,
          day: new Date('2027-03-10T00:00:00Z'),
          description: 'Train to the customer',
          amountMinor: 12_345n,
          status: 'approved',
          receiptFilename: 'ticket.pdf',
          receiptContentType: 'application/pdf',
          receiptBytes: new Uint8Array([37, 80, 68, 70]),
          receiptSha256: 'x'.repeat(64),
        },
      })
      const { invoiced } = await runServicesInvoicing({ month: '2027-03' })
      await deliver()
      const billed = invoiced.find((b) => b.engagementId === engagementId)!
      expect(
        theirs.received
          .filter((e) => e.type === 'engagement.invoiced')
          .map((e) => [e.data.engagementId, e.data.journalEntryId, e.data.amountMinor]),
      ).toEqual([[engagementId, billed.journalEntryId, '12345']])
      expect(partner.received.some((e) => e.type === 'engagement.invoiced')).toBe(false)
      expect(theirs.received.some((e) => e.type !== 'engagement.invoiced')).toBe(false)
      expect([...partner.received, ...theirs.received].every((e) => e.signatureValid)).toBe(true)
    } finally {
      await partner.close()
      await theirs.close()
    }
  })

  it('tells a partner its contract is signed once DocuSign completes it, and only then', async () => {
    const docusign = await bootLocalDocuSign({ connectUrl: `${server.url}/webhooks/docusign` })
    const cast = await contractCast()
    let secret = ''
    const hook = await receiver(() => secret)
    ;({ secret } = await registerWebhookEndpoint(
      await scopeFor(cast.partnerAdmin.id, cast.partner.id, 'api_tokens.create'),
      { url: hook.url, events: ['contract.signed'] },
    ))
    try {
      const manager = await scopeFor(cast.manager.id, cast.partner.id, 'contracts.draft')
      const { version } = await draftContract(manager, {
        title: 'Webhook license',
        kind: 'production_license',
        terms: termsStartingToday({ revenueShare: { percent: '3.00' } }),
      })
      const submitted = await submitForApproval(manager, version.id)
      if (submitted.needsFinance)
        await approveContractVersion(
          await scopeFor(cast.finance.id, cast.partner.id, 'contracts.approve'),
          version.id,
          'Launch partner discount',
        )
      await sendForSignature(manager, version.id, {
        partnerSignerUserId: cast.partnerAdmin.id,
        ggmlSignerUserId: cast.ggmlAdmin.id,
      })
      const sign = async (who: { id: string }) =>
        completeSigning(
          await openSigningSession(await scopeFor(who.id, cast.partner.id, 'contracts.sign'), version.id, '/back'),
        )
      await sign(cast.partnerAdmin)
      await docusign.settled()
      await deliver()
      expect(hook.received, 'one signature of two is not a signed contract').toEqual([])
      await sign(cast.ggmlAdmin)
      await docusign.settled()
      await deliver()
      await deliver()
      expect(hook.received.map((e) => [e.type, e.data.contractId, e.data.versionId, e.signatureValid])).toEqual([
        ['contract.signed', version.contractId, version.id, true],
      ])
    } finally {
      await hook.close()
      await docusign.close()
    }
  })

  it('retries a failing receiver at growing intervals for three days, then disables it and mails admins', async () => {
    const clock = travelTo(AFTER_THE_DATA)
    const c = await signedContractFor(hybridTerms())
    const admin = await scopeFor(c.partnerAdmin.id, c.partner.id, 'api_tokens.create')
    const failing = await receiver(() => '', 503)
    const { id: endpointId } = await registerWebhookEndpoint(admin, { url: failing.url, events: ['badge.revoked'] })
    const engineer = await createUser((await ggmlOrganization()).id, 'certification_engineer')
    try {
      await reviewBadge(await actorFor(engineer.id), await badgeOf(c.partner.id), 'reject', 'no')
      await deliver()
      // Travel to each retry's time; the minute's sweep queues it.
      for (let guard = 0; guard < 30; guard++) {
        const pending = await db().webhookDelivery.findFirst({ where: { endpointId, nextAttemptAt: { not: null } } })
        if (!pending) break
        clock.travelTo(pending.nextAttemptAt!)
        await retryDueWebhooks()
        await deliver()
      }
      await deliver() // the email the last failure queued
      const attempts = await db().webhookDelivery.findMany({ where: { endpointId }, orderBy: { attempt: 'asc' } })
      expect(attempts.map((a) => a.attempt)).toEqual(Array.from({ length: 14 }, (_, i) => i + 1))
      expect(new Set(attempts.map((a) => a.eventId)).size, 'one event, retried').toBe(1)
      expect(attempts.every((a) => !a.succeeded && a.responseStatus === 503)).toBe(true)
      expect(failing.calls()).toBe(14)
      // Minutes between attempts: 5 doubling to the 12 h cap, the last on the third day's end (hand-computed).
      const gaps = attempts.slice(1).map((a, i) => (a.createdAt.getTime() - attempts[i]!.createdAt.getTime()) / 60_000)
      expect(gaps).toEqual([5, 10, 20, 40, 80, 160, 320, 640, 720, 720, 720, 720, 165])
      expect(attempts.at(-1)!.createdAt.getTime() - attempts[0]!.createdAt.getTime()).toBe(72 * 3600_000)

      const endpoint = await db().webhookEndpoint.findUniqueOrThrow({ where: { id: endpointId } })
      expect(endpoint.disabledAt).not.toBeNull()
      expect(endpoint.disabledReason).toMatch(/three days.*503/)
      const mail = await db().mailMessage.findMany({
        where: { to: c.partnerAdmin.email, subject: { startsWith: 'Webhook endpoint disabled' } },
      })
      expect(mail).toHaveLength(1)
      expect(mail[0]!.text).toContain(`/portal/${c.partner.slug}/webhooks`)

      // Disabled: a new event is not sent to it.
      await reviewBadge(await actorFor(engineer.id), await badgeOf(c.partner.id), 'reject', 'no')
      await deliver()
      expect(failing.calls()).toBe(14)

      // The page says so and re-enables it; the receiver is back, and the next event arrives.
      const client = new HttpClient(server.url)
      await client.signIn(c.partnerAdmin.email, c.partnerAdmin.password)
      const page = `/portal/${c.partner.slug}/webhooks`
      const shown = await (await client.get(page)).text()
      expect(shown).toMatch(/Disabled<\/strong> on/)
      expect(shown).toContain('Re-enable')
      expect((await client.post(page, { intent: 'enable', endpointId })).status).toBe(200)
      expect((await db().webhookEndpoint.findUniqueOrThrow({ where: { id: endpointId } })).disabledAt).toBeNull()
      failing.answer.status = 200
      await reviewBadge(await actorFor(engineer.id), await badgeOf(c.partner.id), 'reject', 'no')
      await deliver()
      expect(failing.received.map((e) => e.type)).toEqual(['badge.revoked'])
    } finally {
      await failing.close()
    }
  })

  it('keeps an endpoint that recovers within the three days, and stops retrying once delivered', async () => {
    const clock = travelTo(AFTER_THE_DATA)
    const c = await signedContractFor(hybridTerms())
    const admin = await scopeFor(c.partnerAdmin.id, c.partner.id, 'api_tokens.create')
    const flaky = await receiver(() => '', 500)
    const { id: endpointId } = await registerWebhookEndpoint(admin, { url: flaky.url, events: ['badge.revoked'] })
    try {
      const engineer = await createUser((await ggmlOrganization()).id, 'certification_engineer')
      await reviewBadge(await actorFor(engineer.id), await badgeOf(c.partner.id), 'reject', 'no')
      await deliver()
      for (const status of [500, 200]) {
        flaky.answer.status = status
        const pending = await db().webhookDelivery.findFirstOrThrow({
          where: { endpointId, nextAttemptAt: { not: null } },
        })
        clock.travelTo(pending.nextAttemptAt!)
        await retryDueWebhooks()
        await deliver()
      }
      const attempts = await db().webhookDelivery.findMany({ where: { endpointId }, orderBy: { attempt: 'asc' } })
      expect(attempts.map((a) => [a.attempt, a.succeeded])).toEqual([
        [1, false],
        [2, false],
        [3, true],
      ])
      expect(attempts.every((a) => a.nextAttemptAt === null)).toBe(true)
      // Nothing of this endpoint is due again (the sweep also sees other tests' failing receivers).
      clock.advance(4 * 24 * 3600_000)
      await retryDueWebhooks()
      await deliver()
      expect(await db().webhookDelivery.count({ where: { endpointId } })).toBe(3)
      expect((await db().webhookEndpoint.findUniqueOrThrow({ where: { id: endpointId } })).disabledAt).toBeNull()
    } finally {
      await flaky.close()
    }
  })

  it('signs with the new and the previous secret during a rotation’s overlap, with the new only after', async () => {
    const clock = travelTo(AFTER_THE_DATA)
    const c = await signedContractFor(hybridTerms())
    const admin = await scopeFor(c.partnerAdmin.id, c.partner.id, 'api_tokens.create')
    const hook = await receiver(() => '')
    try {
      const { id, secret: oldSecret } = await registerWebhookEndpoint(admin, {
        url: hook.url,
        events: ['badge.revoked'],
      })
      const { secret: newSecret, overlapEndsAt } = await rotateWebhookSecret(admin, { endpointId: id })
      expect(newSecret).not.toBe(oldSecret)
      expect(new Date(overlapEndsAt).getTime() - clock.now().getTime()).toBe(24 * 3600_000)
      const engineer = await createUser((await ggmlOrganization()).id, 'certification_engineer')
      const revoke = async () => {
        await reviewBadge(await actorFor(engineer.id), await badgeOf(c.partner.id), 'reject', 'no')
        await deliver()
        return hook.raw.at(-1)!
      }
      const nowS = () => Math.floor(Date.now() / 1000)
      const during = await revoke()
      expect(during.header.match(/v1=/g)).toHaveLength(2)
      for (const secret of [newSecret, oldSecret]) {
        expect(verifyWebhookSignature(during.header, during.body, secret, nowS()), secret).toBe(true)
        expect(docsVerify(during.body, during.header, secret), `the docs' snippet, ${secret}`).toBe(true)
      }
      clock.travelTo(new Date(new Date(overlapEndsAt).getTime() + 1000))
      const after = await revoke()
      expect(after.header.match(/v1=/g)).toHaveLength(1)
      expect(verifyWebhookSignature(after.header, after.body, newSecret, nowS())).toBe(true)
      expect(docsVerify(after.body, after.header, newSecret)).toBe(true)
      expect(verifyWebhookSignature(after.header, after.body, oldSecret, nowS())).toBe(false)
      expect(docsVerify(after.body, after.header, oldSecret)).toBe(false)
    } finally {
      await hook.close()
    }
  })

  it('gives up on a receiver that trickles its answer, within the deadline (operator review)', async () => {
    const c = await signedContractFor(hybridTerms())
    const admin = await scopeFor(c.partnerAdmin.id, c.partner.id, 'api_tokens.create')
    // A byte every 2 s: the socket is never idle for 10 s, so only a deadline for the whole exchange ends it.
    const timers: NodeJS.Timeout[] = []
    const slow: Server = createServer((req, res) => {
      req.resume()
      res.writeHead(200, { 'Content-Type': 'text/plain' })
      timers.push(setInterval(() => res.write('.'), 2_000))
    })
    slow.listen(0, '127.0.0.1')
    await new Promise<void>((r) => slow.once('listening', () => r()))
    await registerWebhookEndpoint(admin, {
      url: `http://127.0.0.1:${(slow.address() as AddressInfo).port}/hooks`,
      events: ['badge.revoked'],
    })
    try {
      const badgeId = await badgeOf(c.partner.id)
      const engineer = await createUser((await ggmlOrganization()).id, 'certification_engineer')
      await reviewBadge(await actorFor(engineer.id), badgeId, 'reject', 'no')
      await deliver()
      const [first] = await until('a delivery attempt recorded', async () => {
        const rows = await db().webhookDelivery.findMany({ where: { organizationId: c.partner.id } })
        return rows.length ? rows : undefined
      })
      expect(first!.succeeded).toBe(false)
      expect(first!.durationMs).toBeLessThan(12_000)
    } finally {
      for (const t of timers) clearInterval(t)
      slow.closeAllConnections()
      await new Promise<void>((r) => slow.close(() => r()))
    }
  }, 40_000)

  it('is registered on the webhooks page, shows its secret once, lists deliveries and resends one', async () => {
    const c = await signedContractFor(hybridTerms())
    const hook = await receiver(() => '')
    try {
      const client = new HttpClient(server.url)
      await client.signIn(c.partnerAdmin.email, c.partnerAdmin.password)
      const page = `/portal/${c.partner.slug}/webhooks`
      const created = await client.post(page, { intent: 'create', url: hook.url, events: 'badge.revoked' })
      expect(created.status).toBe(200)
      expect(await created.text()).toMatch(/whsec_[\w-]{20,}/)
      const badgeId = await badgeOf(c.partner.id)
      const engineer = await createUser((await ggmlOrganization()).id, 'certification_engineer')
      await reviewBadge(await actorFor(engineer.id), badgeId, 'reject', 'no')
      await deliver()
      const listed = await (await client.get(page)).text()
      expect(listed).toContain(hook.url)
      expect(listed).toContain('badge.revoked')
      expect(listed).not.toContain('whsec_')
      const [delivery] = await db().webhookDelivery.findMany({ where: { organizationId: c.partner.id } })
      expect(listed).toContain(delivery!.eventId)
      expect((await client.post(page, { intent: 'resend', deliveryId: delivery!.id })).status).toBe(200)
      await deliver()
      expect(hook.calls()).toBe(2)
      expect(await db().webhookDelivery.count({ where: { eventId: delivery!.eventId } })).toBe(2)
      // Rotating shows the new secret once, and says the old one signs too for a day.
      const rotated = await (await client.post(page, { intent: 'rotate', endpointId: delivery!.endpointId })).text()
      expect(rotated).toMatch(/whsec_[\w-]{20,}/)
      expect(rotated).toContain('previous secret')
      expect(await (await client.get(page)).text()).not.toContain('whsec_')
    } finally {
      await hook.close()
    }
  })
  it('registers a URL once, caps endpoints, and is turned off from its page (user and attack review)', async () => {
    const c = await signedContractFor(hybridTerms())
    const hook = await receiver(() => '')
    try {
      const client = new HttpClient(server.url)
      await client.signIn(c.partnerAdmin.email, c.partnerAdmin.password)
      const page = `/portal/${c.partner.slug}/webhooks`
      expect((await client.post(page, { intent: 'create', url: hook.url, events: 'badge.revoked' })).status).toBe(200)
      const twice = await client.post(page, { intent: 'create', url: hook.url, events: 'badge.revoked' })
      expect([twice.status, await twice.text()]).toEqual([409, expect.stringContaining('registered already')])
      const scope = await scopeFor(c.partnerAdmin.id, c.partner.id, 'api_tokens.create')
      for (let i = 1; i < MAX_ENDPOINTS; i++)
        await registerWebhookEndpoint(scope, { url: `${hook.url}?n=${i}`, events: ['report.posted'] })
      await expect(
        registerWebhookEndpoint(scope, { url: `${hook.url}?n=${MAX_ENDPOINTS}`, events: ['report.posted'] }),
      ).rejects.toThrow(/at most 10 endpoints/)
      const first = await db().webhookEndpoint.findFirstOrThrow({
        where: { organizationId: c.partner.id, url: hook.url },
      })
      const off = await client.post(page, { intent: 'disable', endpointId: first.id })
      expect([off.status, await off.text()]).toEqual([200, expect.stringContaining('Turned off')])
      // Off, it receives nothing; its place under the cap is free again.
      const engineer = await createUser((await ggmlOrganization()).id, 'certification_engineer')
      await reviewBadge(await actorFor(engineer.id), await badgeOf(c.partner.id), 'reject', 'no')
      await deliver()
      expect(hook.calls()).toBe(0)
      await registerWebhookEndpoint(scope, { url: `${hook.url}?n=${MAX_ENDPOINTS}`, events: ['report.posted'] })
      const again = await client.post(page, { intent: 'create', url: hook.url, events: 'badge.revoked' })
      expect(await again.text()).toContain('turn it on again')
    } finally {
      await hook.close()
    }
  })

  it('lets a slow receiver hold one worker slot, and all deliveries two at most (attack review)', async () => {
    const c = await signedContractFor(hybridTerms())
    const slow = createServer((_req, res) => void setTimeout(() => res.writeHead(200).end('ok'), 800))
    slow.listen(0, '127.0.0.1')
    await new Promise<void>((r) => slow.once('listening', () => r()))
    try {
      const url = `http://127.0.0.1:${(slow.address() as AddressInfo).port}/hook`
      const scope = await scopeFor(c.partnerAdmin.id, c.partner.id, 'api_tokens.create')
      const ids: string[] = []
      for (const n of [1, 2, 3])
        ids.push((await registerWebhookEndpoint(scope, { url: `${url}?n=${n}`, events: ['badge.revoked'] })).id)
      const engineer = await createUser((await ggmlOrganization()).id, 'certification_engineer')
      await reviewBadge(await actorFor(engineer.id), await badgeOf(c.partner.id), 'reject', 'no')
      const event = await db().webhookEvent.findFirstOrThrow({ where: { organizationId: c.partner.id } })
      const deliver = (endpointId: string, jobId: string) =>
        deliverWebhook({ endpointId, eventId: event.id, attempt: 1, manual: false }, { jobId, attempt: 1 })
      const outcomes = await Promise.allSettled([
        deliver(ids[0]!, unique('job')),
        deliver(ids[0]!, unique('job')),
        deliver(ids[1]!, unique('job')),
        deliver(ids[2]!, unique('job')),
      ])
      const waited = outcomes.filter((o) => o.status === 'rejected' && o.reason instanceof WaitingFor)
      expect([outcomes.filter((o) => o.status === 'fulfilled').length, waited.length]).toEqual([2, 2])
      // Never two at once to one endpoint.
      expect(outcomes[0]!.status === 'fulfilled' && outcomes[1]!.status === 'fulfilled').toBe(false)
    } finally {
      await new Promise<void>((r) => slow.close(() => r()))
    }
  })

  it('refuses another organization’s endpoint and delivery named by id on its own page, changing nothing', async () => {
    const a = await signedContractFor(hybridTerms())
    const b = await signedContractFor(hybridTerms())
    const hook = await receiver(() => '', 503)
    const { id: endpointId } = await registerWebhookEndpoint(
      await scopeFor(b.partnerAdmin.id, b.partner.id, 'api_tokens.create'),
      { url: hook.url, events: ['badge.revoked'] },
    )
    try {
      const engineer = await createUser((await ggmlOrganization()).id, 'certification_engineer')
      await reviewBadge(await actorFor(engineer.id), await badgeOf(b.partner.id), 'reject', 'no')
      await deliver()
      const [delivery] = await db().webhookDelivery.findMany({ where: { endpointId } })
      await db().webhookEndpoint.update({
        where: { id: endpointId },
        data: { disabledAt: new Date(), disabledReason: 'down' },
      })
      const state = async () => ({
        endpoint: await db().webhookEndpoint.findUniqueOrThrow({ where: { id: endpointId } }),
        jobs: await db().outboxMessage.count({
          where: { jobName: 'webhooks.deliver', payload: { path: ['endpointId'], equals: endpointId } },
        }),
      })
      const before = await state()
      const client = new HttpClient(server.url)
      await client.signIn(a.partnerAdmin.email, a.partnerAdmin.password)
      const bodies: Record<string, string>[] = [
        { intent: 'rotate', endpointId },
        { intent: 'enable', endpointId },
        { intent: 'resend', deliveryId: delivery!.id },
      ]
      for (const body of bodies) {
        const res = await client.post(`/portal/${a.partner.slug}/webhooks`, body)
        expect(res.status, JSON.stringify(body)).toBe(404)
        expect(await res.text()).not.toMatch(/whsec_|127\.0\.0\.1/)
      }
      expect(await state()).toEqual(before)
    } finally {
      await hook.close()
    }
  })

  it('queues one resend per endpoint at a time, however fast the form is posted (attack review)', async () => {
    const c = await signedContractFor(hybridTerms())
    const admin = await scopeFor(c.partnerAdmin.id, c.partner.id, 'api_tokens.create')
    const hook = await receiver(() => '')
    const { id: endpointId } = await registerWebhookEndpoint(admin, { url: hook.url, events: ['badge.revoked'] })
    try {
      const engineer = await createUser((await ggmlOrganization()).id, 'certification_engineer')
      await reviewBadge(await actorFor(engineer.id), await badgeOf(c.partner.id), 'reject', 'no')
      await deliver()
      const [delivery] = await db().webhookDelivery.findMany({ where: { endpointId } })
      const queued = () =>
        db().outboxMessage.count({
          where: { jobName: 'webhooks.deliver', payload: { path: ['endpointId'], equals: endpointId } },
        })
      const before = await queued()
      // Fifty posts at once, as a script would send them: each accepted one could hold a worker slot,
      // shared with invoices and email, for 10 s at whatever host the URL names.
      const tries = await Promise.allSettled(
        Array.from({ length: 50 }, () => resendWebhookDelivery(admin, delivery!.id)),
      )
      expect(tries.filter((t) => t.status === 'fulfilled')).toHaveLength(1)
      for (const t of tries) if (t.status === 'rejected') expect(String(t.reason)).toMatch(/still on its way/)
      expect(await queued()).toBe(before + 1)
      await deliver()
      expect(hook.calls()).toBe(2)
      // Once its attempt is recorded, the next resend is taken.
      await resendWebhookDelivery(admin, delivery!.id)
      await deliver()
      expect(hook.calls()).toBe(3)
    } finally {
      await hook.close()
    }
  })
})
