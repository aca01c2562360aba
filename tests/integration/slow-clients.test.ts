import http from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiToken } from '#services/api-tokens/create-api-token.ts'
import { hybridTerms } from '../../services/rating/sample-terms.ts'
import { registerLocalCloudToken } from '../../services/credits/cloud-token.ts'
import { db } from '../../services/platform/db/client.ts'
import { pgPool } from '../../services/platform/db/pg-pool.ts'
import { resetClock } from '../../services/platform/clock.ts'
import { startAppServer } from '../support/app-server.ts'
import { scopeFor } from '../support/contracts.ts'
import { contributorWithLots } from '../support/credits.ts'
import { createOrganization, createUser, unique } from '../support/fixtures.ts'
import { HttpClient } from '../support/http-client.ts'
import { signedContractFor } from '../support/royalties.ts'

// Issue 24: a streamed report holds a pooled connection while its body arrives. One organization holds at
// most two, but five organizations trickling two uploads each held every connection, and credit usage
// stalled behind them for 15 s and answered 503. Now a process receives at most
// UPLOADS_IN_FLIGHT_PER_PROCESS (4 of the pool's 8) at once and refuses more with 503 "busy", and a body
// that stops or crawls is cut off with 408, releasing its connection and storing nothing. The deadline is
// shortened here so the file runs in seconds; the server runs in this process, so an unhandled rejection
// or a leaked connection fails it.
const PACE = { BODY_IDLE_SECONDS: '2', BODY_RATE_GRACE_SECONDS: '2', BODY_MIN_BYTES_PER_SECOND: '50' }
const saved = Object.fromEntries(Object.keys(PACE).map((k) => [k, process.env[k]]))

let server: Awaited<ReturnType<typeof startAppServer>>
const cloudToken = `cloud_test_${unique('t')}_0123456789abcdef0123456789`
let usageAccount: string
const partners: { organizationId: string; contractId: string; token: string }[] = []

beforeAll(async () => {
  Object.assign(process.env, PACE)
  server = await startAppServer()
  registerLocalCloudToken(cloudToken)
  const terms = hybridTerms({
    term: { start: '2006-01-01', end: '2025-12-31', renewal: { kind: 'none' } },
    baseFee: undefined,
    minimumGuarantee: undefined,
  })
  for (let i = 0; i < 6; i++) {
    const c = await signedContractFor(terms)
    const admin = await scopeFor(c.partnerAdmin.id, c.partner.id, 'api_tokens.create')
    const { secret } = await createApiToken(admin, { name: 'ERP', scopes: ['reports:write', 'reports:read'] })
    partners.push({ organizationId: c.partner.id, contractId: c.contract.id, token: secret })
  }
  const c = await contributorWithLots([{ amount: '2000', acceptAt: new Date().toISOString() }])
  resetClock()
  usageAccount = c.organization.slug
})

afterAll(async () => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k]
    else process.env[k] = v
  }
  await server.close()
})

const HEADER = 'device_model,device_class,price_band,region,units\n'

interface Answer {
  status?: number
  body: string
  retryAfter?: string
  error?: string
  at: number
}

/** A chunked CSV upload on a raw socket, so the test decides when (and whether) each byte is sent. */
function upload(p: (typeof partners)[number], period: string) {
  const req = http.request(`${server.url}/api/v1/reports?contractId=${p.contractId}&period=${period}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${p.token}`, 'Content-Type': 'text/csv', 'Transfer-Encoding': 'chunked' },
  })
  const answer = new Promise<Answer>((resolve) => {
    req.on('response', (res) => {
      let body = ''
      res.on('data', (c: Buffer) => (body += c.toString()))
      const done = (error?: string) =>
        resolve({ status: res.statusCode, body, retryAfter: res.headers['retry-after'], error, at: Date.now() })
      res.on('end', () => done())
      res.on('error', (e) => done(e.message))
    })
    req.on('error', (e) => resolve({ body: '', error: e.message, at: Date.now() }))
  })
  req.write(HEADER)
  return { req, answer }
}

/** Connections of the staging pool checked out, and requests waiting for one. */
const poolInUse = () => {
  const p = pgPool()
  return p.totalCount - p.idleCount + p.waitingCount
}

async function until(what: () => boolean | Promise<boolean>, ms = 10_000) {
  const deadline = Date.now() + ms
  while (!(await what())) {
    if (Date.now() > deadline) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 50))
  }
}

/** What the partners' organizations hold in the database: reports and uploads, posted or not. */
async function stored(organizationIds: string[]) {
  const where = { organizationId: { in: organizationIds } }
  return { reports: await db().royaltyReport.count({ where }), uploads: await db().reportUpload.count({ where }) }
}

describe('slow clients cannot take the database from everyone else (issue 24)', () => {
  it('five organizations trickle two uploads each: usage and sign-in answer at once; uploads get 408', async () => {
    const five = partners.slice(0, 5)
    // Each organization's first upload, then each one's second: every organization is trickling.
    const uploads = [0, 1].flatMap((n) =>
      five.map((p) => {
        const u = { ...upload(p, `2010-0${n + 1}`), answered: undefined as Answer | undefined }
        void u.answer.then((a) => (u.answered = a))
        return u
      }),
    )
    let line = 0
    // A valid line every 100 ms (about 250 bytes a second): above the floor, so only the cap stops them.
    const trickle = setInterval(() => {
      for (const u of uploads) if (!u.req.destroyed) u.req.write(`Model-${++line},smartphone,Entry,EU,5\n`)
    }, 100)
    try {
      // The process takes four, and answers the other six at once: busy, not "database unreachable".
      await until(() => uploads.filter((u) => u.answered).length >= 6)
      const refused = uploads.filter((u) => u.answered).map((u) => u.answered!)
      expect(refused).toHaveLength(6)
      for (const r of refused) {
        expect([r.status, r.retryAfter]).toEqual([503, '10'])
        expect(JSON.parse(r.body).error).toMatchObject({ code: 'busy', message: expect.stringMatching(/busy/) })
        expect(r.body).not.toMatch(/database/i)
      }
      for (const u of uploads) if (u.answered) u.req.destroy()
      await until(() => poolInUse() === 4)

      // With four connections held by uploads that are still arriving, GGML Cloud's usage and a person's
      // sign-in answer at once (before: usage waited 15 s for a connection, then answered 503).
      let started = Date.now()
      const usage = await fetch(`${server.url}/api/v1/credits/usage`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${cloudToken}`,
          'Content-Type': 'application/json',
          'Idempotency-Key': unique('usage'),
        },
        body: JSON.stringify({
          account: usageAccount,
          category: 'inference',
          amount: '1.00',
          occurredAt: new Date().toISOString(),
        }),
        signal: AbortSignal.timeout(20_000),
      })
      const usageMs = Date.now() - started
      expect([usage.status, await usage.json()]).toEqual([201, expect.objectContaining({ covered: '1.00' })])
      expect(usageMs).toBeLessThan(3000)
      const org = await createOrganization('oem_partner')
      const person = await createUser(org.id, 'partner_admin')
      started = Date.now()
      await new HttpClient(server.url).signIn(person.email, person.password)
      expect(Date.now() - started).toBeLessThan(5000)
      expect(poolInUse()).toBe(4)
      console.log(`slow clients: credit usage answered in ${usageMs} ms, a sign-in in ${Date.now() - started} ms`)
    } finally {
      clearInterval(trickle)
    }

    // The four stop sending: after BODY_IDLE_SECONDS each is cut off with 408 and a message.
    const stopped = Date.now()
    const held = await Promise.all(uploads.filter((u) => !u.answered).map((u) => u.answer))
    expect(held).toHaveLength(4)
    for (const r of held) {
      expect(r.status).toBe(408)
      expect(JSON.parse(r.body).error).toMatchObject({
        code: 'request_timeout',
        message: expect.stringMatching(/^No part of the request body arrived for 2 s.*nothing was stored/),
      })
      expect(r.at - stopped).toBeGreaterThanOrEqual(1500)
      expect(r.at - stopped).toBeLessThan(6000)
    }
    console.log(`slow clients: 408 after ${held.map((r) => r.at - stopped).join(', ')} ms of silence`)
    // Each connection released once, nothing left of any upload, nothing posted.
    await until(() => poolInUse() === 0)
    expect(await stored(five.map((p) => p.organizationId))).toEqual({ reports: 0, uploads: 0 })
  }, 60_000)

  it('cuts off a body trickling below the floor; the slot and connection serve the next report', async () => {
    const p = partners[5]!
    const slow = upload(p, '2011-01')
    const started = Date.now()
    // Four bytes every 200 ms: never idle, 20 bytes a second, under the floor of 50.
    const trickle = setInterval(() => slow.req.destroyed || slow.req.write('Mdl,'), 200)
    const r = await slow.answer
    clearInterval(trickle)
    slow.req.destroy()
    expect(r.status).toBe(408)
    expect(JSON.parse(r.body).error.message).toMatch(
      /^The request body arrived at \d+ bytes per second over \d+ s, below the 50 bytes per second .*nothing was/,
    )
    const ms = Date.now() - started
    expect(ms).toBeLessThan(6000)
    console.log(`slow clients: a trickle of 20 bytes a second got 408 after ${ms} ms`)
    await until(() => poolInUse() === 0)
    expect(await stored([p.organizationId])).toEqual({ reports: 0, uploads: 0 })
    // A report sent in one go right after is received.
    const res = await fetch(`${server.url}/api/v1/reports?contractId=${p.contractId}&period=2011-02`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${p.token}`, 'Content-Type': 'text/csv' },
      body: `${HEADER}Phone,smartphone,Entry,EU,5\n`,
    })
    expect(res.status).toBe(201)
  }, 30_000)
})
