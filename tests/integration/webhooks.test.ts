import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bootLocalStripe, type LocalStripe } from '../../fakes/stripe/local-stripe.ts'
import { createApiToken } from '#services/api-tokens/create-api-token.ts'
import { reviewBadge } from '#services/certification/review-badge.ts'
import { hybridTerms } from '#services/contracts/sample-terms.ts'
import { db } from '#services/db/client.ts'
import { newId } from '#services/db/ids.ts'
import { registerWebhookEndpoint } from '#services/webhooks/register-webhook-endpoint.ts'
import { resendWebhookDelivery } from '#services/webhooks/resend-webhook-delivery.ts'
import { verifyWebhookSignature } from '#services/webhooks/sign-webhook.ts'
import { webhookEventTypes } from '#services/webhooks/webhook-events.ts'
import { startAppServer } from '../support/app-server.ts'
import { actorFor, scopeFor } from '../support/contracts.ts'
import { createUser, ggmlOrganization } from '../support/fixtures.ts'
import { acceptedResultRows } from '../support/certification.ts'
import { HttpClient } from '../support/http-client.ts'
import { drainJobs } from '../support/jobs.ts'
import { row, signedContractFor } from '../support/royalties.ts'
import { livingAt } from '../support/time.ts'

// Issue 32: a partner's systems are told what happened, signed, at least once, from the outbox.
livingAt()

interface Received {
  id: string
  type: string
  data: Record<string, unknown>
  signatureValid: boolean
}

/** A partner's receiver: verifies each delivery's signature as the docs tell partners to. */
async function receiver(secretOf: () => string, status = 200) {
  const received: Received[] = []
  let calls = 0
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      calls++
      const body = Buffer.concat(chunks).toString('utf8')
      const header = String(req.headers['ggml-signature'] ?? '')
      const signatureValid = verifyWebhookSignature(header, body, secretOf(), Math.floor(Date.now() / 1000))
      const event = JSON.parse(body) as Omit<Received, 'signatureValid'>
      if (status < 300) received.push({ ...event, signatureValid })
      res.writeHead(status, { 'Content-Type': 'text/plain' }).end(status < 300 ? 'ok' : 'down for maintenance')
    })
  })
  server.listen(0, '127.0.0.1')
  await new Promise<void>((r) => server.once('listening', () => r()))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/ggml/webhooks`,
    received,
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

const settle = async () => {
  await drainJobs()
  await stripe.settled()
  await drainJobs()
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
      await fetch(`${stripe.apiBase}/i/${invoice.stripeInvoiceId}/pay`, { method: 'POST', redirect: 'manual' })
      await settle()
      const badgeId = await badgeOf(c.partner.id)
      const engineer = await createUser((await ggmlOrganization()).id, 'certification_engineer')
      await reviewBadge(await actorFor(engineer.id), badgeId, 'reject', 'measured on another product')
      await drainJobs()

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
      expect(order.indexOf(about('invoice.issued', 'invoiceId', invoice.id)[0]!.id)).toBeLessThan(
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
      await drainJobs()
      expect(got.filter((e) => e.id === first.eventId)).toHaveLength(2)
    } finally {
      await partner.close()
      await bystander.close()
    }
  })

  it('retries a failing receiver with backoff, recording each attempt and its answer', async () => {
    const c = await signedContractFor(hybridTerms())
    const admin = await scopeFor(c.partnerAdmin.id, c.partner.id, 'api_tokens.create')
    const failing = await receiver(() => '', 503)
    await registerWebhookEndpoint(admin, { url: failing.url, events: ['badge.revoked'] })
    try {
      const badgeId = await badgeOf(c.partner.id)
      const engineer = await createUser((await ggmlOrganization()).id, 'certification_engineer')
      await reviewBadge(await actorFor(engineer.id), badgeId, 'reject', 'no')
      await drainJobs()
      // The first attempt, then the queue's retry after its backoff (2 s).
      const attempts = await until('a retried delivery', async () => {
        const rows = await db().webhookDelivery.findMany({
          where: { organizationId: c.partner.id },
          orderBy: { attempt: 'asc' },
        })
        return rows.length >= 2 ? rows : undefined
      })
      expect(attempts.map((a) => [a.attempt, a.succeeded, a.responseStatus])).toEqual([
        [1, false, 503],
        [2, false, 503],
      ])
      expect(attempts[0]!.eventId).toBe(attempts[1]!.eventId)
      expect(attempts[0]!.responseBody).toBe('down for maintenance')
    } finally {
      await failing.close()
    }
  }, 30_000)

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
      await drainJobs()
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
      await drainJobs()
      const listed = await (await client.get(page)).text()
      expect(listed).toContain(hook.url)
      expect(listed).toContain('badge.revoked')
      expect(listed).not.toContain('whsec_')
      const [delivery] = await db().webhookDelivery.findMany({ where: { organizationId: c.partner.id } })
      expect(listed).toContain(delivery!.eventId)
      expect((await client.post(page, { intent: 'resend', deliveryId: delivery!.id })).status).toBe(200)
      await drainJobs()
      expect(hook.calls()).toBe(2)
      expect(await db().webhookDelivery.count({ where: { eventId: delivery!.eventId } })).toBe(2)
    } finally {
      await hook.close()
    }
  })
})
