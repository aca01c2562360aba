import { randomBytes } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startLocalStripe, type LocalStripe } from '../../fakes/stripe/local-stripe.ts'
import { commitSession } from '../../app/lib/session.server.ts'
import { createApiToken } from '../../services/api-tokens/create-api-token.ts'
import { verifyAuditChain } from '../../services/audit/verify-audit-chain.ts'
import { hybridTerms } from '../../services/contracts/sample-terms.ts'
import { db } from '../../services/db/client.ts'
import { ensureDatabase, stopEmbeddedDatabase } from '../../services/db/ensure-database.ts'
import { createSession } from '../../services/identity/sessions.ts'
import { Queue } from 'bullmq'
import { Redis } from 'ioredis'
import { PLATFORM_QUEUE } from '../../services/jobs/queue.ts'
import { scheduledJobs } from '../../services/jobs/registry.ts'
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
  RedisServer,
  startLocalResend,
  until,
  type Role,
} from '../support/fault-cluster.ts'
import { CSV_HEADER, MONTHS, monthOf, pump, rawRequest, TERM, Traffic, type Partner } from '../support/fault-traffic.ts'

// Issue 24's fault suite: the production build run as fly.toml runs it (two web processes and a worker,
// each its own process) under partner traffic, with one fault at a time; after each, the processes serve
// again without a hand restart and every acknowledged request's effect exists exactly once.

const ROLES: Role[] = ['web1', 'web2', 'worker']
const MB = 1_000_000
let database: Awaited<ReturnType<typeof createFaultDatabase>>
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
  // The owner of the local PostgreSQL (DATABASE_URL), or the embedded one the other lanes use without it.
  process.env.DATA_DIR ??= '.data/test'
  process.env.EMBEDDED_PG_PORT ??= '54330'
  const { url: owner } = await ensureDatabase()
  mkdirSync(LOG_DIR, { recursive: true })
  database = await createFaultDatabase(owner)
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
  traffic = new Traffic(cluster, partners, { token: cluster.cloudToken, account: contributor.account, next: 0 })
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
  await stopEmbeddedDatabase()
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
  const mail = await db().mailMessage.findMany({ select: { idempotencyKey: true, subject: true } })
  for (const inv of invoices)
    expect(mail.filter((m) => m.subject.startsWith(`Invoice ${inv.number} `)).length, `mail of ${inv.number}`).toBe(1)
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
    `${invoices.length} invoices once at Stripe with one email each, ${mail.length} emails once at Resend, ` +
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

  it('3. survives the database ending its connections mid-COPY, and a 15 s outage under traffic', async () => {
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

    // An outage of 15 s under traffic: nobody may connect, and every connection is ended.
    traffic.start()
    await new Promise((r) => setTimeout(r, 2000))
    await db().$disconnect()
    const started = Date.now()
    await database.admin.query(`ALTER DATABASE "${database.name}" ALLOW_CONNECTIONS false`)
    await database.admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
      [database.name],
    )
    await new Promise((r) => setTimeout(r, 15_000))
    await database.admin.query(`ALTER DATABASE "${database.name}" ALLOW_CONNECTIONS true`)
    const faultEnd = Date.now()
    const rec = await recovery(faultEnd)
    await new Promise((r) => setTimeout(r, 2000))
    await traffic.stop()
    const work = await drained(90_000, faultEnd)
    const checked = await invariants()
    record(
      `PostgreSQL: backends ended mid-COPY, then no connections for ${seconds(faultEnd - started)}`,
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
    await new Promise((r) => setTimeout(r, 5000))
    await redisServer.start()
    const faultEnd = Date.now()
    const rec = await recovery(faultEnd)
    await new Promise((r) => setTimeout(r, 2000))
    await traffic.stop()
    // Jobs Redis lost go back to the relay from the worker's reconciler (each minute, after a minute).
    const work = await drained(180_000, faultEnd)
    const checked = await invariants()
    record(`Redis killed, down ${seconds(faultEnd - started)}, back empty`, traffic.seen.summary(), rec, work, checked)
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
