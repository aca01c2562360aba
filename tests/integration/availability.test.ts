import http from 'node:http'
import { spawn } from 'node:child_process'
import { inject } from 'vitest'
import { generateKeyPairSync } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiToken } from '#services/api-tokens/create-api-token.ts'
import { hybridTerms } from '../../services/rating/sample-terms.ts'
import { createRunnerToken } from '../../services/certification/create-runner-token.ts'
import { db } from '../../services/platform/db/client.ts'
import { pgPool } from '../../services/platform/db/pg-pool.ts'
import { startAppServer } from '../support/app-server.ts'
import { scopeFor } from '../support/contracts.ts'
import { signedContractFor } from '../support/royalties.ts'
import { postToRunnerApi, sampleFingerprint } from '../support/runner-api.ts'
import { livingAt } from '../support/time.ts'

// Issue 24: no request stops the process or keeps what it holds. The server runs in this process, so a
// crash here (an unhandled rejection or 'error' event) fails the file, as it would stop a web process.
livingAt()

let server: Awaited<ReturnType<typeof startAppServer>>
let secret: string
let contractId: string
beforeAll(async () => {
  server = await startAppServer()
  const c = await signedContractFor(
    hybridTerms({ term: { start: '2027-01-01', end: '2029-12-31', renewal: { kind: 'none' } } }),
  )
  contractId = c.contract.id
  const admin = await scopeFor(c.partnerAdmin.id, c.partner.id, 'api_tokens.create')
  secret = (await createApiToken(admin, { name: 'ERP', scopes: ['reports:write', 'reports:read'] })).secret
})
afterAll(() => server.close())

const HEADER = 'device_model,device_class,price_band,region,units\n'

/** A chunked CSV upload on a raw socket, so a test can stop, cut or overfill it. */
function chunkedUpload(period: string) {
  const url = new URL(`${server.url}/api/v1/reports?contractId=${contractId}&period=${period}`)
  const req = http.request(url, {
    method: 'POST',
    headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'text/csv', 'Transfer-Encoding': 'chunked' },
  })
  const answer = new Promise<{ status: number; body: string } | { error: string }>((resolve) => {
    req.on('response', (res) => {
      let body = ''
      res.on('data', (c: Buffer) => (body += c.toString()))
      res.on('end', () => resolve({ status: res.statusCode!, body }))
      res.on('error', (e) => resolve({ error: e.message }))
    })
    req.on('error', (e) => resolve({ error: e.message }))
  })
  return { req, answer }
}

/** Connections of the staging pool still checked out (and requests waiting for one). */
const poolInUse = () => {
  const p = pgPool()
  return p.totalCount - p.idleCount + p.waitingCount
}

async function until(what: () => Promise<boolean> | boolean, ms = 10_000) {
  const deadline = Date.now() + ms
  while (!(await what())) {
    if (Date.now() > deadline) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 50))
  }
}

const healthy = async () => (await fetch(`${server.url}/healthz`)).status === 200

async function postsCleanly(period: string) {
  const res = await fetch(`${server.url}/api/v1/reports?contractId=${contractId}&period=${period}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'text/csv' },
    body: `${HEADER}A,smartphone,Entry,EU,5\n`,
  })
  expect(res.status).toBe(201)
}

describe('requests that cannot stop the platform (issue 24)', () => {
  it('answers a chunked upload over 150 MB with 413 and goes on serving', async () => {
    const { req, answer } = chunkedUpload('2027-01')
    req.write(HEADER)
    // One long field: the server reads every byte up to the limit, as for any oversized report.
    const chunk = Buffer.alloc(1 << 20, 'x')
    let sent = 0
    const pump = async () => {
      while (sent <= 151 * 1_000_000 && !req.destroyed) {
        sent += chunk.length
        if (!req.write(chunk)) await new Promise((r) => req.once('drain', r).once('close', r))
      }
      req.end()
    }
    void pump().catch(() => {})
    const r = await answer
    if ('status' in r) {
      expect(r.status).toBe(413)
      expect(r.body).toMatch(/larger than 150 MB/)
    }
    // The COPY's connection is dropped, its promise settled; the process lives on and serves.
    await until(() => poolInUse() === 0)
    await new Promise((r) => setTimeout(r, 3000))
    expect(await healthy()).toBe(true)
    await postsCleanly('2027-02')
  }, 120_000)

  it('one organization holds at most two slow uploads, so the pool stays free for everyone else', async () => {
    // Two uploads that trickle: each holds a pooled connection while its body arrives.
    const slow = ['2027-07', '2027-08'].map((period) => {
      const u = chunkedUpload(period)
      u.req.write(HEADER)
      u.req.write('A,smartphone,Entry,EU,5\n')
      return u
    })
    await until(() => poolInUse() >= 2)
    // A third from the same organization is refused at once (it would wait on the pool, then 503).
    const third = await fetch(`${server.url}/api/v1/reports?contractId=${contractId}&period=2027-09`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'text/csv' },
      body: `${HEADER}A,smartphone,Entry,EU,5\n`,
    })
    expect(third.status).toBe(429)
    expect((await third.json()).error).toMatchObject({
      code: 'rate_limited',
      message: expect.stringMatching(/2 reports/),
    })
    // When they finish, the slots are free again.
    for (const u of slow) u.req.end()
    for (const u of slow) expect(await u.answer).toMatchObject({ status: 201 })
    await until(() => poolInUse() === 0)
    await postsCleanly('2027-09')
  }, 60_000)

  it('releases the connection of every client that drops mid-upload (more drops than the pool has)', async () => {
    for (let i = 0; i < 10; i++) {
      const { req, answer } = chunkedUpload('2027-03')
      req.write(HEADER)
      req.write('A,smartphone,Entry,EU,5\n'.repeat(5000))
      // Wait until the server holds a connection for the COPY, then vanish.
      await until(() => poolInUse() > 0)
      req.destroy()
      await answer
    }
    await until(() => poolInUse() === 0)
    await postsCleanly('2027-04')
  }, 120_000)

  it('survives the database ending its connection mid-COPY, and tells the client to send again', async () => {
    const { req, answer } = chunkedUpload('2027-05')
    req.write(HEADER)
    req.write('A,smartphone,Entry,EU,5\n'.repeat(5000))
    await until(() => poolInUse() > 0)
    const killed = await pgPool().query<{ ok: boolean }>(
      `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
       WHERE datname = current_database() AND query LIKE 'COPY "RoyaltyReportLine"%' AND pid <> pg_backend_pid()`,
    )
    expect(killed.rows.map((r) => r.ok)).toContain(true)
    req.end('B,smartphone,Entry,EU,5\n')
    const r = await answer
    expect('status' in r && [r.status, r.body]).toEqual([503, expect.anything()])
    expect('body' in r && JSON.parse(r.body).error.message).toMatch(/nothing was posted/i)
    await until(() => poolInUse() === 0)
    expect(await healthy()).toBe(true)
    await postsCleanly('2027-06')
  }, 60_000)
})

describe('the runner API answers bad input with a 4xx and a message (issue 24)', () => {
  const register = (body: unknown) => postToRunnerApi(server.url, '/api/runner/v1/register', body)
  const publicKey = () => generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString()

  it('refuses a registration with no body, missing or wrong-typed fields, or an empty fingerprint', async () => {
    const scope = await scopeFor(
      (await db().membership.findFirstOrThrow({ where: { role: 'partner_admin' } })).userId,
      (await db().membership.findFirstOrThrow({ where: { role: 'partner_admin' } })).organizationId,
      'certification.view',
    )
    const token = await createRunnerToken(scope)
    const runnersBefore = await db().certRunner.count()
    const noBody = await fetch(`${server.url}/api/runner/v1/register`, { method: 'POST' })
    for (const res of [
      noBody,
      await register({}),
      await register({ token, name: 'box' }),
      await register({ token, name: 42, publicKey: publicKey(), fingerprint: sampleFingerprint() }),
      await register({ token, name: 'box', publicKey: publicKey(), fingerprint: {} }),
      await register({ token, name: 'box', publicKey: publicKey(), fingerprint: 'a laptop' }),
      await register([1, 2, 3]),
    ]) {
      expect(res.status).toBeGreaterThanOrEqual(400)
      expect(res.status).toBeLessThan(500)
      expect((await res.json()).error.message).toBeTruthy()
    }
    expect(await db().certRunner.count()).toBe(runnersBefore)
    // The token was not spent by any of them.
    const ok = await register({ token, name: 'box', publicKey: publicKey(), fingerprint: sampleFingerprint() })
    expect(ok.status).toBe(201)
    const { secret: runnerSecret } = (await ok.json()) as { secret: string }

    const claim = await postToRunnerApi(server.url, '/api/runner/v1/claim', { waitSeconds: 'abc' }, runnerSecret)
    expect(claim.status).toBe(400)
    const beat = await postToRunnerApi(server.url, '/api/runner/v1/jobs/no-such-job/heartbeat', {}, runnerSecret)
    expect([beat.status, (await beat.json()).error.message]).toEqual([404, expect.stringMatching(/No job/)])
  })
})

describe('health a supervisor can act on (issue 24)', () => {
  it('answers liveness at once and stays ready while every request connection is busy', async () => {
    const held = await Promise.all(Array.from({ length: 8 }, () => pgPool().connect()))
    try {
      const started = performance.now()
      const [live, ready] = await Promise.all([fetch(`${server.url}/livez`), fetch(`${server.url}/readyz`)])
      expect([live.status, await live.text()]).toEqual([200, 'ok'])
      expect(ready.status).toBe(200)
      expect(performance.now() - started).toBeLessThan(2000)
    } finally {
      for (const c of held) c.release()
    }
  })

  it('the worker process answers its own liveness, readiness and metrics, and stops on SIGTERM', async () => {
    // Fly's [[metrics]] scraper sends no token: METRICS_PORT serves /metrics without one (user review).
    const port = 20_000 + Math.floor(Math.random() * 20_000)
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/worker.ts'], {
      env: {
        ...process.env,
        NODE_ENV: 'test',
        WORKER_PORT: String(port),
        METRICS_PORT: String(port + 1),
        METRICS_TOKEN: 'metrics-token-of-the-worker-test-0123',
        REDIS_URL: inject('redisUrl'),
        REDIS_PREFIX: `test_${inject('runId')}_worker`,
        LOG_LEVEL: 'silent',
      },
      stdio: 'ignore',
    })
    try {
      await until(async () => (await fetch(`http://127.0.0.1:${port}/livez`).catch(() => null))?.status === 200, 60_000)
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`)
      expect(await ready.json()).toEqual({ ok: true, checks: { database: 'ok', redis: 'ok', worker: 'ok' } })
      // The supervisor's port wants the token; the private metrics port, which a scraper reads, does not.
      expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(401)
      const token = { Authorization: 'Bearer metrics-token-of-the-worker-test-0123' }
      expect(await (await fetch(`http://127.0.0.1:${port}/metrics`, { headers: token })).text()).toContain(
        'jobs_completed_total',
      )
      expect(await (await fetch(`http://127.0.0.1:${port + 1}/metrics`)).text()).toContain('jobs_completed_total')
    } finally {
      const exited = new Promise((r) => child.once('exit', r))
      child.kill('SIGTERM')
      await exited
    }
  }, 90_000)
})
