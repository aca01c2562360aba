import { once } from 'node:events'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { reviewBadge } from '#services/certification/review-badge.ts'
import { reloadEnv } from '#services/platform/config/env.ts'
import { hybridTerms } from '#services/rating/sample-terms.ts'
import { db } from '#services/platform/db/client.ts'
import { newId } from '#services/platform/db/ids.ts'
import { registerWebhookEndpoint } from '#services/webhooks/register-webhook-endpoint.ts'
import { newWebhookSecret, sealWebhookSecret } from '#services/webhooks/webhook-secret.ts'
import { acceptedResultRows } from '../support/certification.ts'
import { actorFor, scopeFor } from '../support/contracts.ts'
import { createUser, ggmlOrganization } from '../support/fixtures.ts'
import { drainJobs } from '../support/jobs.ts'
import { signedContractFor } from '../support/royalties.ts'
import { livingAt } from '../support/time.ts'

// Issue 32: a partner's URL must never make the platform reach its own network. Each test attacks the
// rule the way a partner could: the registration form, a name that resolves inward at send time (DNS
// rebinding, or a row older than the rule), an IP literal the socket never looks up, a redirect.
livingAt()

/** A server that counts the connections made to it: a refused delivery never opens one. */
async function listener(host: string, handler: (res: import('node:http').ServerResponse) => void) {
  let connections = 0
  const server: Server = createServer((req, res) => {
    req.resume()
    handler(res)
  })
  server.on('connection', () => connections++)
  server.listen(0, host)
  await once(server, 'listening')
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => connections,
    close: () => new Promise<void>((r) => server.close(() => r())),
  }
}

async function partnerWithBadgeToRevoke() {
  const c = await signedContractFor(hybridTerms())
  const admin = await scopeFor(c.partnerAdmin.id, c.partner.id, 'api_tokens.create')
  const revoke = async () => {
    const { requestId, resultId } = await acceptedResultRows(c.partner.id)
    const badgeId = newId()
    await db().certBadge.create({
      data: { id: badgeId, organizationId: c.partner.id, requestId, resultId, assurance: 'held', summary: {} },
    })
    const engineer = await createUser((await ggmlOrganization()).id, 'certification_engineer')
    await reviewBadge(await actorFor(engineer.id), badgeId, 'reject', 'no')
    await drainJobs()
  }
  return { c, admin, revoke }
}

describe('with local endpoints off, as in a deployment', () => {
  beforeEach(() => {
    process.env.WEBHOOKS_ALLOW_LOCAL = 'false'
    reloadEnv()
  })
  afterEach(() => {
    delete process.env.WEBHOOKS_ALLOW_LOCAL
    reloadEnv()
  })

  it('refuses to register http, loopback, private and mapped addresses', async () => {
    const { admin } = await partnerWithBadgeToRevoke()
    for (const [url, why] of [
      ['http://erp.example.com/hooks', /https/],
      ['https://127.0.0.1/hooks', /private/],
      ['https://localhost/hooks', /private/],
      ['https://[::1]/hooks', /private/],
      ['https://[::ffff:127.0.0.1]/hooks', /private/],
      ['https://169.254.169.254/latest/meta-data', /private/],
      ['https://2130706433/hooks', /private/], // 127.0.0.1 written as a number
    ] as const)
      await expect(registerWebhookEndpoint(admin, { url, events: ['badge.revoked'] }), url).rejects.toThrow(why)
  })

  it('refuses at send time a name resolving to 127.0.0.1, an IPv6 loopback and a mapped IPv4 literal', async () => {
    const v4 = await listener('127.0.0.1', (res) => res.end('ok'))
    const v6 = await listener('::1', (res) => res.end('ok'))
    const { c, revoke } = await partnerWithBadgeToRevoke()
    // Rows as if registered while the name resolved to a public address (or before the rule): the
    // send-time check is what stands between them and our network.
    const urls = [
      `https://localhost:${v4.port}/hooks`,
      `https://[::1]:${v6.port}/hooks`,
      `https://[::ffff:127.0.0.1]:${v4.port}/hooks`,
      `http://localhost:${v4.port}/hooks`,
    ]
    for (const url of urls)
      await db().webhookEndpoint.create({
        data: {
          id: newId(),
          organizationId: c.partner.id,
          url,
          events: ['badge.revoked'],
          secretSealed: sealWebhookSecret(newWebhookSecret()),
        },
      })
    try {
      await revoke()
      const attempts = await db().webhookDelivery.findMany({
        where: { organizationId: c.partner.id },
        include: { endpoint: { select: { url: true } } },
      })
      expect(attempts.map((a) => a.endpoint.url).sort()).toEqual([...urls].sort())
      for (const a of attempts) {
        expect(a.succeeded, a.endpoint.url).toBe(false)
        expect(a.responseStatus, a.endpoint.url).toBeNull()
        expect(a.error, a.endpoint.url).toMatch(/private address|only https/)
        expect(a.nextAttemptAt, 'a refusal is a failure like any other: retried, then disabled').not.toBeNull()
      }
      expect(v4.connections() + v6.connections(), 'no connection was opened').toBe(0)
    } finally {
      await v4.close()
      await v6.close()
    }
  })
})

describe('with local endpoints allowed (tests, the demo)', () => {
  it('does not follow a redirect, to a private address or anywhere', async () => {
    const inside = await listener('127.0.0.1', (res) => res.end('internal admin'))
    const bouncer = await listener('127.0.0.1', (res) =>
      res.writeHead(307, { Location: `http://127.0.0.1:${inside.port}/admin` }).end(),
    )
    const { c, admin, revoke } = await partnerWithBadgeToRevoke()
    await registerWebhookEndpoint(admin, { url: `http://127.0.0.1:${bouncer.port}/hooks`, events: ['badge.revoked'] })
    try {
      await revoke()
      const [attempt] = await db().webhookDelivery.findMany({ where: { organizationId: c.partner.id } })
      expect(attempt!.succeeded).toBe(false)
      expect(attempt!.responseStatus).toBe(307)
      expect(bouncer.connections()).toBe(1)
      expect(inside.connections(), 'the redirect target was never reached').toBe(0)
    } finally {
      await inside.close()
      await bouncer.close()
    }
  })

  it('keeps at most 4 kB of an answer, however much the receiver sends', async () => {
    const chatty = await listener('127.0.0.1', (res) => res.end('x'.repeat(1024 * 1024)))
    const { c, admin, revoke } = await partnerWithBadgeToRevoke()
    await registerWebhookEndpoint(admin, { url: `http://127.0.0.1:${chatty.port}/hooks`, events: ['badge.revoked'] })
    try {
      await revoke()
      const [attempt] = await db().webhookDelivery.findMany({ where: { organizationId: c.partner.id } })
      expect(attempt!.succeeded).toBe(true)
      expect(attempt!.responseBody).toHaveLength(4096)
    } finally {
      await chatty.close()
    }
  })
})
