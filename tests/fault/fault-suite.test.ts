import { randomBytes } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLocalStripe, type LocalStripe } from '../../fakes/stripe/local-stripe.ts'
import { commitSession } from '../../app/lib/session.server.ts'
import { createApiToken } from '../../services/api-tokens/create-api-token.ts'
import { verifyAuditChain } from '../../services/platform/audit/verify-audit-chain.ts'
import { hybridTerms } from '../../services/rating/sample-terms.ts'
import { db } from '../../services/platform/db/client.ts'
import { createSession } from '../../services/identity/sessions.ts'
import { Queue } from 'bullmq'
import { Redis } from 'ioredis'
import { PLATFORM_QUEUE } from '../../services/platform/jobs/queue.ts'
import { scheduledJobs } from '../../services/platform/jobs/registry.ts'
import { trialBalance } from '../../services/ledger/balances.ts'
import { createEngagement } from '../../services/engagements/create-engagement.ts'
import { actorForUser } from '../../services/identity/sessions.ts'
import { scopeFor } from '../support/contracts.ts'
import { createOrganization, createUser, ggmlOrganization, unique } from '../support/fixtures.ts'
import { signedContractFor } from '../support/royalties.ts'
import { contributorWithLots } from '../support/credits.ts'
import { resetClock } from '../../services/platform/clock.ts'
import {
  Cluster,
  createFaultDatabase,
  freePort,
  LOG_DIR,
  PostgresServer,
  RedisServer,
  startLocalResend,
  until,
  type Role,
} from '../support/fault-cluster.ts'
import {
  CSV_HEADER,
  MONTHS,
  monthOf,
  pump,
  rawRequest,
  TERM,
  Traffic,
  type Partner,
  type RawAnswer,
} from '../support/fault-traffic.ts'
import { HttpClient } from '../support/http-client.ts'

// Issue 24's fault suite: the production build run as fly.toml runs it (two web processes and a worker,
// each its own process) under partner traffic, with one fault at a time; after each, the processes serve
// again without a hand restart and every acknowledged request's effect exists exactly once.

const ROLES: Role[] = ['web1', 'web2', 'worker']
const MB = 1_000_000
let database: Awaited<ReturnType<typeof createFaultDatabase>>
let postgres: PostgresServer
let redisServer: RedisServer
let stripe: LocalStripe
let resend: Awaited<ReturnType<typeof startLocalResend>>
let cluster: Cluster
let traffic: Traffic
/** The platform's queue, read by the suite (its connection outlives Redis restarts quietly). */
let queue: Queue
const partners: Partner[] = []
/** Uploads the suite makes to measure recovery and check pools: a partner of their own. */
let probe: Partner
let staff: { cookie: string; engagementId: string }
/** The contributor whose credits GGML Cloud draws on: one lot of 2,000.00, accepted today. */
let contributor: { organizationId: string; account: string }
const report: string[] = []

async function sessionCookie(userId: string) {
  const { token } = await createSession(db(), userId, {})
  return (await commitSession(token)).split(';')[0]!
}

async function partner(name: string): Promise<Partner> {
  const terms = hybridTerms({
    term: { ...TERM, renewal: { kind: 'none' } },
    baseFee: undefined,
    minimumGuarantee: undefined,
  })
  const c = await signedContractFor(terms)
  const admin = await scopeFor(c.partnerAdmin.id, c.partner.id, 'api_tokens.create')
  const { secret } = await createApiToken(admin, { name: 'ERP', scopes: ['reports:write', 'reports:read'] })
  return {
    name,
    contractId: c.contract.id,
    token: secret,
    orgSlug: c.partner.slug,
    cookie: await sessionCookie(c.partnerAdmin.id),
    nextMonth: 0,
  }
}

beforeAll(async () => {
  // A PostgreSQL server of the suite's own, so case 3 can restart it under traffic.
  mkdirSync(LOG_DIR, { recursive: true })
  postgres = new PostgresServer(await freePort(), path.join(LOG_DIR, 'pg'))
  await postgres.initialise()
  database = await createFaultDatabase(postgres.ownerUrl)
  // This process checks the invariants on the same database and queue as the platform.
  process.env.DATABASE_URL = database.url
  redisServer = new RedisServer(await freePort(), path.join(LOG_DIR, 'redis.log'))
  await redisServer.start()
  const connection = new Redis(redisServer.url, { maxRetriesPerRequest: null })
  connection.on('error', () => {})
  queue = new Queue(PLATFORM_QUEUE, { connection, prefix: 'fault' })
  queue.on('error', () => {})
  const ports = { web1: await freePort(), web2: await freePort(), worker: await freePort() }
  const secrets = {
    secretKey: `sk_test_fault_${randomBytes(12).toString('hex')}`,
    webhookSecret: `whsec_${randomBytes(24).toString('base64url')}`,
  }
  stripe = await startLocalStripe({ ...secrets, webhookUrl: `http://127.0.0.1:${ports.web1}/webhooks/stripe` })
  resend = await startLocalResend()
  cluster = await Cluster.create({
    databaseUrl: database.url,
    redisUrl: redisServer.url,
    stripe: { ...secrets, apiBase: stripe.apiBase },
    resendUrl: resend.url,
    ports,
  })
  const booting = Promise.all(ROLES.map((r) => cluster.start(r)))
  for (let i = 0; i < 3; i++) partners.push(await partner(`p${i}`))
  probe = await partner('probe')
  // ggml's services lead with an engagement, for receipt uploads.
  const ggml = await ggmlOrganization()
  const lead = await createUser(ggml.id, 'services_lead')
  const customer = await createOrganization('enterprise', unique('Fault Customer'))
  const { id: engagementId } = await createEngagement(await actorForUser(lead.id), {
    organizationId: customer.id,
    title: 'Fault suite engagement',
    type: 'time_and_materials',
    currency: 'USD',
    startsOn: '2026-01-01',
    endsOn: '2026-12-31',
    leadEmail: lead.email,
    budgetHours: 100,
    budget: '20000',
  })
  staff = { cookie: await sessionCookie(lead.id), engagementId }
  const c = await contributorWithLots([{ amount: '2000', acceptAt: new Date().toISOString() }])
  resetClock()
  contributor = { organizationId: c.organization.id, account: c.organization.slug }
  await booting
  traffic = new Traffic(cluster, partners, { token: cluster.cloudToken, account: contributor.account, next: 0 }, stripe)
}, 180_000)

afterAll(async () => {
  traffic?.halt()
  await cluster?.stopAll()
  await queue?.close()
  await redisServer?.kill()
  await stripe?.close()
  await resend?.close()
  await db().$disconnect()
  await database?.drop()
  await postgres?.destroy()
  if (report.length) {
    const md = [
      '# Fault suite (issue 24)',
      '',
      'Two web processes and a worker (production build), one fault at a time, under partner traffic.',
      '',
      'Times are from the end of the fault: every process answers /readyz 200 (ready again), an upload is',
      'acknowledged (upload again), and every acknowledged request has done its work (work done).',
      '',
      '| fault | clients saw | ready again | upload again | work done | invariants |',
      '| --- | --- | --- | --- | --- | --- |',
      ...report,
      '',
    ].join('\n')
    writeFileSync(path.resolve('.data/fault-report.md'), md)
  }
}, 60_000)

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`

/** From the end of a fault: the first 200 of every process's /readyz, and the first acknowledged upload. */
async function recovery(faultEnd: number) {
  await until(async () => (await Promise.all(ROLES.map((r) => cluster.ready(r)))).every(Boolean), 120_000, '/readyz')
  const ready = Date.now() - faultEnd
  await traffic.upload(probe, { deadlineMs: 60_000 })
  return { ready: seconds(ready), upload: seconds(Date.now() - faultEnd) }
}

/**
 * Everything acknowledged has done its work: no outbox row open, nothing waiting in the queue, every
 * scheduler declared.
 */
async function drained(ms: number, since = Date.now()): Promise<string> {
  // A payment whose webhook a fault lost is found by the quarter-hourly reconciliation: one round now,
  // as its scheduler would start it, once Stripe has given up on what it was sending.
  await stripe.settled()
  await queue.add('billing.reconcile-open-invoices', {})
  await until(
    async () => {
      const open = await db().outboxMessage.count({ where: { completedAt: null } })
      // Scheduled jobs wait in 'delayed' for ever; a job retried after a failure keeps its outbox row open.
      const c = await queue.getJobCounts('waiting', 'active', 'prioritized')
      const queued = (c.waiting ?? 0) + (c.active ?? 0) + (c.prioritized ?? 0)
      const schedulers = (await queue.getJobSchedulers()).length
      await stripe.settled()
      return open === 0 && queued === 0 && schedulers === scheduledJobs().length
    },
    ms,
    'the outbox and the queue to drain',
  )
  return seconds(Date.now() - since)
}

/**
 * The invariants every fault must leave standing. Returns what was checked, for the report.
 */
async function invariants(): Promise<string> {
  expect(cluster.crashes()).toEqual([])
  for (const r of ROLES) {
    expect(cluster.running(r)).toBe(true)
    expect(await cluster.live(r)).toBe(true)
    expect(await cluster.ready(r)).toBe(true)
  }
  expect(traffic.refused).toEqual([])
  // A 500 says the platform has a bug; an outage is a 503 the client retries.
  expect([...traffic.seen.counts.keys()].filter((k) => /\b500\b/.test(k))).toEqual([])
  // Each acknowledged report is posted exactly once, and nothing else was posted.
  const acked = [...traffic.acknowledged.keys()]
  const rows = await db().royaltyReport.findMany({
    where: { contractId: { in: [...partners, probe].map((p) => p.contractId) } },
    select: { id: true, idempotencyKey: true, status: true, journalEntryId: true },
  })
  expect(rows.map((r) => r.idempotencyKey).sort()).toEqual(acked.sort())
  for (const r of rows) {
    expect(r.id).toBe(traffic.acknowledged.get(r.idempotencyKey!))
    expect(r.status).toBe('current')
    expect(r.journalEntryId).not.toBeNull()
  }
  // Each acknowledged credit usage is drawn once, and nothing else was drawn.
  const usage = await db().creditUsage.findMany({
    where: { organizationId: contributor.organizationId },
    select: { id: true, idempotencyKey: true, coveredMinor: true, draws: { select: { amountMinor: true } } },
  })
  expect(usage.map((u) => u.idempotencyKey).sort()).toEqual([...traffic.usage.keys()].sort())
  for (const u of usage) {
    expect(u.id).toBe(traffic.usage.get(u.idempotencyKey))
    expect([u.coveredMinor, u.draws.reduce((s, d) => s + d.amountMinor, 0n)]).toEqual([100n, 100n])
  }
  // Every invoice exists once at Stripe, finalized, and was announced by one email per recipient.
  const invoices = await db().invoice.findMany({ select: { id: true, stripeInvoiceId: true, number: true } })
  expect(invoices.length).toBeGreaterThan(0)
  const atStripe = [...stripe.invoices.values()]
  for (const inv of invoices) {
    expect(inv.stripeInvoiceId).not.toBeNull()
    expect(atStripe.filter((s) => s.metadata.invoiceId === inv.id).map((s) => s.id)).toEqual([inv.stripeInvoiceId])
  }
  expect(atStripe.length).toBe(invoices.length)
  // Every payment made at Stripe is booked here once, whether or not its webhook arrived.
  const paidAtStripe = atStripe.filter((s) => s.status === 'paid')
  expect(paidAtStripe.map((s) => s.id).sort()).toEqual([...traffic.paid].sort())
  const paidHere = await db().invoice.findMany({
    where: { stripeInvoiceId: { in: paidAtStripe.map((s) => s.id) } },
    select: { stripeInvoiceId: true, status: true, amountPaidMinor: true, number: true },
  })
  for (const s of paidAtStripe) {
    const here = paidHere.find((i) => i.stripeInvoiceId === s.id)
    expect([here?.status, here?.amountPaidMinor], `invoice ${s.id}`).toEqual(['paid', BigInt(s.amount_paid)])
  }
  const payments = await db().journalEntry.count({
    where: { idempotencyKey: { in: paidAtStripe.map((s) => `payment:stripe:${s.id}`) } },
  })
  expect(payments).toBe(paidAtStripe.length)
  const mail = await db().mailMessage.findMany({ select: { idempotencyKey: true, subject: true } })
  for (const inv of invoices)
    expect(mail.filter((m) => m.subject.startsWith(`Invoice ${inv.number} `)).length, `mail of ${inv.number}`).toBe(1)
  for (const inv of paidHere)
    expect(mail.filter((m) => m.subject === `Receipt for invoice ${inv.number}`).length, `receipt ${inv.number}`).toBe(
      1,
    )
  // What Resend sent is what the mail log holds, each once.
  expect([...resend.sent.keys()].sort()).toEqual(mail.map((m) => m.idempotencyKey).sort())
  // The books balance; the audit chain verifies.
  for (const t of await trialBalance(db())) expect(t.debitsMinor, t.currency).toBe(t.creditsMinor)
  const audit = await verifyAuditChain(db())
  expect(audit.ok).toBe(true)
  // No job failed for good; every scheduler is declared.
  expect(await queue.getJobCounts('failed')).toEqual({ failed: 0 })
  expect((await queue.getJobSchedulers()).length).toBe(scheduledJobs().length)
  for (const r of ['web1', 'web2'] as const) expect(await cluster.poolInUse(r)).toBe(0)
  return (
    `${ROLES.length} processes live and ready, ${acked.length} reports posted once, ` +
    `${usage.length} credit usages drawn once, ` +
    `${invoices.length} invoices once at Stripe with one email each, ` +
    `${paidAtStripe.length} paid at Stripe booked once with one receipt each, ${mail.length} emails once at Resend, ` +
    `books balance, audit chain of ${audit.checked} verifies, 0 failed jobs, ` +
    `${scheduledJobs().length} schedulers, staging pools whole`
  )
}

function record(fault: string, saw: string, rec: { ready: string; upload: string }, work: string, checked: string) {
  report.push(`| ${fault} | ${saw} | ${rec.ready} | ${rec.upload} | ${work} | ${checked} |`)
  console.log(
    `fault: ${fault} — clients saw ${saw}; ready again ${rec.ready}, upload again ${rec.upload}, ` +
      `all acknowledged work done ${work} after the fault`,
  )
}

interface UploadRoute {
  name: string
  url: () => string
  headers: () => Record<string, string>
  /** The multipart or urlencoded text before the filler, and after. */
  head: string
  tail: string
  /** Whether a body over the form limit (1 MB, urlencoded) or the upload limit (150 MB) is needed. */
  limit: number
}

const BOUNDARY = 'fault-suite-boundary'
const multipart = (fields: Record<string, string>, file: string, filename: string) => ({
  head:
    Object.entries(fields)
      .map(([k, v]) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
      .join('') +
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${file}"; filename="${filename}"\r\n` +
    'Content-Type: application/octet-stream\r\n\r\n',
  tail: `\r\n--${BOUNDARY}--\r\n`,
})

/** A signed-in person's cookies and CSRF token, as a browser has them after loading the page. */
async function browserOf(cookie: string, page: string) {
  const res = await fetch(`${cluster.url('web1')}${page}`, { headers: { Cookie: cookie } })
  const html = await res.text()
  expect(res.status, `${page} loads`).toBe(200)
  const csrfCookie = res.headers
    .getSetCookie()
    .find((c) => c.startsWith('__csrf='))
    ?.split(';')[0]
  const token = /name="csrf" value="([^"]+)"/.exec(html)?.[1]
  if (!csrfCookie || !token) throw new Error(`no CSRF token on ${page}`)
  return { Cookie: `${cookie}; ${csrfCookie}`, 'X-CSRF-Token': token, csrf: token }
}

describe('the platform through faults (issue 24)', () => {
  it('1. answers an oversized body on every upload route with 413 and a message, and stays whole', async () => {
    const p = partners[0]!
    const portal = await browserOf(p.cookie, `/portal/${p.orgSlug}/reports`)
    const services = await browserOf(staff.cookie, `/services/engagements/${staff.engagementId}`)
    const web = (r: Role) => cluster.url(r)
    // As a browser sends a form: the CSRF token as the form's first field, not as a header.
    const form = (h: { Cookie: string }) => ({
      Cookie: h.Cookie,
      'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`,
    })
    const routes: UploadRoute[] = [
      {
        name: 'reports API',
        url: () => `${web('web1')}/api/v1/reports?contractId=${p.contractId}&period=${monthOf(MONTHS - 1)}`,
        headers: () => ({ Authorization: `Bearer ${p.token}`, 'Content-Type': 'text/csv', 'Idempotency-Key': 'big' }),
        head: CSV_HEADER,
        tail: '',
        limit: 150 * MB,
      },
      {
        name: 'portal report upload',
        url: () => `${web('web2')}/portal/${p.orgSlug}/reports`,
        headers: () => form(portal),
        ...multipart(
          { csrf: portal.csrf, intent: 'upload', contractId: p.contractId, period: monthOf(MONTHS - 2) },
          'file',
          'r.csv',
        ),
        limit: 150 * MB,
      },
      {
        name: 'receipt',
        url: () => `${web('web1')}/services/engagements/${staff.engagementId}`,
        headers: () => form(services),
        ...multipart({ csrf: services.csrf, intent: 'expense' }, 'receipt', 'receipt.pdf'),
        limit: 40 * MB,
      },
      {
        name: 'product photo',
        url: () => `${web('web2')}/portal/${p.orgSlug}/certification`,
        headers: () => form(portal),
        ...multipart({ csrf: portal.csrf, intent: 'request' }, 'photo', 'photo.jpg'),
        limit: 40 * MB,
      },
      {
        name: 'spec sheet',
        url: () => `${web('web1')}/portal/${p.orgSlug}/certification`,
        headers: () => form(portal),
        ...multipart({ csrf: portal.csrf, intent: 'request' }, 'specSheet', 'spec.pdf'),
        limit: 40 * MB,
      },
      {
        name: 'GGUF header',
        url: () => `${web('web2')}/portal/${p.orgSlug}/certification`,
        headers: () => form(portal),
        ...multipart({ csrf: portal.csrf, intent: 'request' }, 'ownModelHeader', 'model.gguf'),
        limit: 40 * MB,
      },
      {
        name: 'dispute evidence',
        url: () => `${web('web1')}/portal/${p.orgSlug}/disputes`,
        headers: () => form(portal),
        ...multipart({ csrf: portal.csrf }, 'evidence', 'evidence.pdf'),
        limit: 40 * MB,
      },
      {
        name: 'SAML metadata',
        url: () => `${web('web2')}/portal/${p.orgSlug}/sso`,
        headers: () => ({
          Cookie: portal.Cookie,
          'Content-Type': 'application/x-www-form-urlencoded',
        }),
        head: `csrf=${portal.csrf}&name=Okta&metadata=`,
        tail: '',
        limit: 1 * MB,
      },
      {
        name: 'exam item',
        url: () => `${web('web1')}/training/exams/fault/items`,
        headers: () => ({
          Cookie: services.Cookie,
          'Content-Type': 'application/x-www-form-urlencoded',
        }),
        head: `csrf=${services.csrf}&intent=author&stem=`,
        tail: '',
        limit: 1 * MB,
      },
    ]
    traffic.start()
    const saw: string[] = []
    const started = Date.now()
    for (const route of routes) {
      for (const mode of ['chunked', 'declared'] as const) {
        const headers =
          mode === 'chunked'
            ? { ...route.headers(), 'Transfer-Encoding': 'chunked' }
            : { ...route.headers(), 'Content-Length': String(route.limit + MB) }
        const { req, answer } = rawRequest(route.url(), 'POST', headers)
        let done = false
        void answer.then(() => (done = true))
        // Declared: the head only; the server must refuse on the header, before reading the rest.
        if (mode === 'declared') req.write(route.head)
        else void pump(req, route.head, route.limit + MB, route.tail, () => done).catch(() => {})
        const a = await answer
        if (mode === 'declared') req.destroy()
        saw.push(`${route.name} ${mode} ${a.status ?? a.error}`)
        expect(a.status, `${route.name}, ${mode}: ${a.error ?? a.body.slice(0, 200)}`).toBe(413)
        expect(a.body, `${route.name}, ${mode}`).toMatch(/larger than|limited to/)
      }
    }
    const faultEnd = Date.now()
    await traffic.stop()
    const rec = await recovery(faultEnd)
    await until(async () => (await cluster.poolInUse('web1')) + (await cluster.poolInUse('web2')) === 0, 10_000)
    const work = await drained(60_000, faultEnd)
    const checked = await invariants()
    record(
      `oversized bodies: ${routes.length} routes, chunked and declared (${seconds(faultEnd - started)})`,
      `413 on ${saw.length} of ${saw.length}; traffic beside them: ${traffic.seen.summary()}`,
      rec,
      work,
      checked,
    )
  }, 240_000)

  it('2. releases the connection of each of ten clients that vanish mid-upload, and serves on', async () => {
    traffic.start()
    const started = Date.now()
    const saw: string[] = []
    for (let i = 0; i < 10; i++) {
      const role: Role = i % 2 ? 'web2' : 'web1'
      const period = monthOf(MONTHS - 20 + i)
      const url = `${cluster.url(role)}/api/v1/reports?contractId=${probe.contractId}&period=${period}`
      const { req, answer } = rawRequest(url, 'POST', {
        Authorization: `Bearer ${probe.token}`,
        'Content-Type': 'text/csv',
        'Transfer-Encoding': 'chunked',
      })
      req.write(CSV_HEADER)
      req.write('Phone,smartphone,Entry,EU,5\n'.repeat(5000))
      // The server is copying this upload into PostgreSQL: then the client vanishes.
      await until(async () => (await copies()) > 0, 10_000, 'the upload to reach COPY')
      // Seen from outside too: the process's /metrics counts the connection the upload holds.
      await until(async () => (await cluster.poolInUse(role)) > 0, 10_000, 'pg_pool_connections in use')
      req.destroy()
      const a = await answer
      saw.push(a.error ? 'dropped' : String(a.status))
    }
    const faultEnd = Date.now()
    await until(async () => (await cluster.poolInUse('web1')) + (await cluster.poolInUse('web2')) === 0, 10_000)
    const rec = await recovery(faultEnd)
    await traffic.stop()
    const work = await drained(60_000, faultEnd)
    const checked = await invariants()
    record(
      `10 clients vanish mid-upload (${seconds(faultEnd - started)})`,
      `the dropped uploads: ${summarize(saw)}; traffic beside them: ${traffic.seen.summary()}`,
      rec,
      work,
      checked,
    )
  }, 240_000)

  it('3. survives the database ending connections mid-COPY, and its server restarting (down 15 s)', async () => {
    // Mid-COPY, on each web process: the upload is refused with 503 "nothing was posted".
    const midCopy: string[] = []
    for (const role of ['web1', 'web2'] as const) {
      const period = monthOf(probe.nextMonth++)
      const url = `${cluster.url(role)}/api/v1/reports?contractId=${probe.contractId}&period=${period}`
      const { req, answer } = rawRequest(url, 'POST', {
        Authorization: `Bearer ${probe.token}`,
        'Content-Type': 'text/csv',
        'Transfer-Encoding': 'chunked',
      })
      req.write(CSV_HEADER)
      req.write('Phone,smartphone,Entry,EU,5\n'.repeat(5000))
      await until(async () => (await copies()) > 0, 10_000, 'the upload to reach COPY')
      const { rows } = await database.admin.query<{ ok: boolean }>(
        `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = $1 AND query LIKE 'COPY %'`,
        [database.name],
      )
      expect(rows.map((r) => r.ok)).toContain(true)
      req.end('Phone,smartphone,Entry,EU,5\n')
      const a = await answer
      expect([a.status, a.body]).toEqual([503, expect.stringMatching(/nothing was posted/i)])
      midCopy.push(`${role} ${a.status}`)
    }

    // The server restarted under traffic, down 15 s: every session ended, every connection refused.
    traffic.start()
    await new Promise((r) => setTimeout(r, 2000))
    await db().$disconnect()
    const started = Date.now()
    await postgres.stop()
    await new Promise((r) => setTimeout(r, 15_000))
    await postgres.start()
    await database.reconnect()
    const faultEnd = Date.now()
    const rec = await recovery(faultEnd)
    await new Promise((r) => setTimeout(r, 2000))
    await traffic.stop()
    const work = await drained(90_000, faultEnd)
    const checked = await invariants()
    record(
      `PostgreSQL: backends ended mid-COPY, then the server restarted, down ${seconds(faultEnd - started)}`,
      `mid-COPY: ${midCopy.join(', ')} "nothing was posted"; traffic: ${traffic.seen.summary()}`,
      rec,
      work,
      checked,
    )
  }, 240_000)

  it('4. loses nothing and does nothing twice when Redis restarts empty under traffic', async () => {
    traffic.start()
    await new Promise((r) => setTimeout(r, 3000))
    const started = Date.now()
    await redisServer.kill()
    await new Promise((r) => setTimeout(r, 2500))
    // The web processes need PostgreSQL only and stay in rotation; the worker can do nothing without Redis.
    const readyWithoutRedis = await Promise.all(ROLES.map(async (r) => [r, await cluster.ready(r)] as const))
    await new Promise((r) => setTimeout(r, 2500))
    await redisServer.start()
    const faultEnd = Date.now()
    const rec = await recovery(faultEnd)
    await new Promise((r) => setTimeout(r, 2000))
    await traffic.stop()
    // Jobs Redis lost go back to the relay from the worker's reconciler (each minute, after a minute).
    const work = await drained(180_000, faultEnd)
    const checked = await invariants()
    expect(Object.fromEntries(readyWithoutRedis)).toEqual({ web1: true, web2: true, worker: false })
    record(
      `Redis killed, down ${seconds(faultEnd - started)}, back empty`,
      `${traffic.seen.summary()}; /readyz meanwhile: web ready, worker not`,
      rec,
      work,
      checked,
    )
  }, 300_000)

  it('5. loses nothing and does nothing twice when a web process or the worker is killed with -9', async () => {
    traffic.start()
    await new Promise((r) => setTimeout(r, 3000))
    const started = Date.now()
    await cluster.kill9('web1')
    // The supervisor starts it again, as fly.toml's restart policy does; clients retry on web2 meanwhile.
    await cluster.start('web1')
    await until(() => cluster.ready('web1'), 60_000, 'web1 ready')
    const webBack = Date.now() - started
    await new Promise((r) => setTimeout(r, 2000))
    const workerKilled = Date.now()
    await cluster.kill9('worker')
    await cluster.start('worker')
    await until(() => cluster.ready('worker'), 60_000, 'worker ready')
    const workerBack = Date.now() - workerKilled
    const faultEnd = Date.now()
    const rec = await recovery(faultEnd)
    await new Promise((r) => setTimeout(r, 2000))
    await traffic.stop()
    const work = await drained(120_000, faultEnd)
    const checked = await invariants()
    record(
      `kill -9 of web1 (restarted, ready ${seconds(webBack)} after the kill), then of the worker ` +
        `(restarted, ready ${seconds(workerBack)})`,
      traffic.seen.summary(),
      rec,
      work,
      checked,
    )
  }, 300_000)

  it('6. slow clients: five organizations trickle uploads; usage and sign-in answer, uploads get 408', async () => {
    // web1 started again with a body deadline of 3 s (production's is 15 s), so the case runs in seconds. It
    // keeps it for the rest of the file: this is the last case, and cases 2 and 3 hold uploads open on
    // purpose, which so short a deadline could cut off first.
    const pace = { BODY_IDLE_SECONDS: '3', BODY_RATE_GRACE_SECONDS: '3', BODY_MIN_BYTES_PER_SECOND: '50' }
    const restarted = cluster.stop('web1').then(() => cluster.start('web1', pace))
    const slow = await Promise.all([0, 1, 2, 3, 4].map((i) => partner(`slow${i}`)))
    const person = await createUser((await createOrganization('oem_partner')).id, 'partner_admin')
    await restarted
    const started = Date.now()
    // Two uploads from each organization (each one's first, then each one's second), a line every 100 ms.
    const uploads = [0, 1].flatMap((n) =>
      slow.map((p) => {
        const url = `${cluster.url('web1')}/api/v1/reports?contractId=${p.contractId}&period=${monthOf(n)}`
        const u = rawRequest(url, 'POST', {
          Authorization: `Bearer ${p.token}`,
          'Content-Type': 'text/csv',
          'Transfer-Encoding': 'chunked',
        })
        const tracked = { ...u, answered: undefined as RawAnswer | undefined, at: 0 }
        void u.answer.then((a) => Object.assign(tracked, { answered: a, at: Date.now() }))
        u.req.write(CSV_HEADER)
        return tracked
      }),
    )
    let line = 0
    const trickle = setInterval(() => {
      for (const u of uploads) if (!u.req.destroyed) u.req.write(`Slow-${++line},smartphone,Entry,EU,5\n`)
    }, 100)
    let usageMs: number, signInMs: number
    try {
      // The process takes four (UPLOADS_IN_FLIGHT_PER_PROCESS) and tells the other six it is busy.
      await until(() => uploads.filter((u) => u.answered).length >= 6, 10_000, 'six uploads refused').catch(
        (e: Error) => {
          const got = uploads.map((u) => (u.answered ? `${u.answered.status} ${u.answered.body}` : 'waiting'))
          throw new Error(`${e.message}: ${got.join('; ')}`)
        },
      )
      for (const u of uploads) if (u.answered) u.req.destroy()
      await until(async () => (await cluster.poolInUse('web1')) === 4, 10_000, 'four connections held')
      // Partners' traffic beside them: its uploads that reach web1 hear "busy" and go to web2.
      traffic.start()
      // GGML Cloud's usage and a person's sign-in on the same process answer at once.
      let t = Date.now()
      const usage = await fetch(`${cluster.url('web1')}/api/v1/credits/usage`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${cluster.cloudToken}`,
          'Content-Type': 'application/json',
          'Idempotency-Key': 'slow-clients-usage',
        },
        body: JSON.stringify({
          account: contributor.account,
          category: 'inference',
          amount: '1.00',
          occurredAt: new Date().toISOString(),
        }),
        signal: AbortSignal.timeout(20_000),
      })
      usageMs = Date.now() - t
      expect(usage.status).toBe(201)
      traffic.usage.set('slow-clients-usage', ((await usage.json()) as { usageId: string }).usageId)
      t = Date.now()
      await new HttpClient(cluster.url('web1')).signIn(person.email, person.password)
      signInMs = Date.now() - t
      expect([usageMs < 3000, signInMs < 5000]).toEqual([true, true])
      // The four were still arriving all along.
      expect(uploads.filter((u) => u.answered)).toHaveLength(6)
    } finally {
      clearInterval(trickle)
    }
    // They stop sending: each is cut off with 408 after the deadline, and nothing of theirs is stored.
    const silent = Date.now()
    const held = uploads.filter((u) => !u.answered)
    await Promise.all(held.map((u) => u.answer))
    const saw = uploads.map((u) => {
      const body = JSON.parse(u.answered!.body) as { error: { code: string } }
      return `${u.answered!.status} ${body.error.code}`
    })
    saw.sort()
    expect(summarize(saw)).toBe('408 request_timeout×4, 503 busy×6')
    expect(uploads.filter((u) => u.answered!.status === 503).map((u) => u.answered!.headers?.['retry-after'])).toEqual(
      Array(6).fill('10'),
    )
    const cutOff = held.map((u) => u.at - silent)
    for (const ms of cutOff) expect(ms).toBeLessThan(8000)
    const faultEnd = Date.now()
    await until(async () => (await cluster.poolInUse('web1')) === 0, 10_000, 'the connections back')
    const orgs = await db().organization.findMany({ where: { slug: { in: slow.map((p) => p.orgSlug) } } })
    const where = { organizationId: { in: orgs.map((o) => o.id) } }
    expect([await db().royaltyReport.count({ where }), await db().reportUpload.count({ where })]).toEqual([0, 0])
    const rec = await recovery(faultEnd)
    await traffic.stop()
    const work = await drained(60_000, faultEnd)
    const checked = await invariants()
    record(
      `slow clients: 5 organizations × 2 uploads trickling into web1 ` +
        `(body deadline 3 s; ${seconds(faultEnd - started)})`,
      `uploads: ${summarize(saw)} (Retry-After 10), 408 after ${seconds(Math.max(...cutOff))} of silence, ` +
        `nothing stored; credit usage 201 in ${usageMs} ms and a sign-in in ${signInMs} ms beside them; ` +
        `traffic: ${traffic.seen.summary()}`,
      rec,
      work,
      checked,
    )
  }, 120_000)
})

/** Backends of the fault database copying an upload now. */
async function copies(): Promise<number> {
  const { rows } = await database.admin.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND query LIKE 'COPY %' AND state = 'active'`,
    [database.name],
  )
  return rows[0]!.n
}

const summarize = (xs: string[]) => {
  const counts = new Map<string, number>()
  for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1)
  return [...counts].map(([k, n]) => `${k}×${n}`).join(', ')
}
