import http from 'node:http'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { reloadEnv } from '../../services/platform/config/env.ts'
import { approveContractVersion } from '../../services/contracts/approve-contract.ts'
import { draftContract } from '../../services/contracts/draft-contract.ts'
import { submitForApproval } from '../../services/contracts/submit-for-approval.ts'
import { updateDraftVersion } from '../../services/contracts/update-draft-version.ts'
import { db } from '../../services/platform/db/client.ts'
import { newId } from '../../services/platform/db/ids.ts'
import { travelTo } from '../../services/platform/clock.ts'
import { forgetAttempts } from '../../services/platform/security/rate-limit.ts'
import { startAppServer } from '../support/app-server.ts'
import { contractCast, scopeFor, termsStartingToday } from '../support/contracts.ts'
import { createOrganization, createUser, TEST_PASSWORD, unique } from '../support/fixtures.ts'
import { HttpClient } from '../support/http-client.ts'
import { drainJobs } from '../support/jobs.ts'
import { signedContractFor } from '../support/royalties.ts'

let server: Awaited<ReturnType<typeof startAppServer>>
beforeAll(async () => {
  server = await startAppServer()
})
afterAll(() => server.close())

async function signedIn(role: Parameters<typeof createUser>[1] = 'partner_admin') {
  const org = await createOrganization()
  const user = await createUser(org.id, role)
  const c = new HttpClient(server.url)
  await c.signIn(user.email, user.password)
  return { org, user, c }
}

describe('1. four eyes on contract terms', () => {
  it('refuses an approver who rewrote the draft, even after someone else submitted it', async () => {
    const cast = await contractCast()
    const manager = await scopeFor(cast.manager.id, cast.partner.id, 'contracts.draft')
    const { contract, version } = await draftContract(manager, {
      title: 'Four-eyes license',
      kind: 'production_license',
      terms: termsStartingToday(),
    })
    // The admin rewrites the manager's draft outside the price book, then the manager submits it.
    const admin = await scopeFor(cast.ggmlAdmin.id, cast.partner.id, 'contracts.draft')
    await updateDraftVersion(admin, version.id, { terms: termsStartingToday({ revenueShare: { percent: '3.00' } }) })
    expect((await submitForApproval(manager, version.id)).needsFinance).toBe(true)

    const http = new HttpClient(server.url)
    await http.signIn(cast.ggmlAdmin.email, cast.ggmlAdmin.password)
    const refused = await http.post(`/contracts/${contract.id}`, { intent: 'approve', versionId: version.id })
    expect(refused.status).toBe(403)
    expect(await refused.text()).toContain('someone who did not write them must approve them')
    expect((await db().contractVersion.findUniqueOrThrow({ where: { id: version.id } })).state).toBe('pending_approval')
    await approveContractVersion(await scopeFor(cast.finance.id, cast.partner.id, 'contracts.approve'), version.id)
    expect((await db().contractVersion.findUniqueOrThrow({ where: { id: version.id } })).state).toBe('approved')
  })
})

describe('2. redirects after sign-in stay on this site', () => {
  it.each([
    '/\t/evil.example',
    '/\r\n/evil.example',
    '//evil.example',
    '/\\evil.example',
    '/%09/evil.example/../..',
    'https://evil.example/',
  ])('sends %j to the dashboard instead', async (redirectTo) => {
    const org = await createOrganization()
    const user = await createUser(org.id, 'partner_admin')
    const c = new HttpClient(server.url)
    await c.get('/login')
    const res = await c.post('/login', { email: user.email, password: TEST_PASSWORD, redirectTo })
    expect(res.status).toBe(302)
    const location = res.headers.get('location')!
    expect(location.startsWith('/')).toBe(true)
    expect(new URL(location, server.url).origin).toBe(server.url)
    expect(location).not.toMatch(/evil/)
  })

  it('refuses a NUL character in it outright', async () => {
    const c = new HttpClient(server.url)
    await c.get('/login')
    const res = await c.post('/login', { email: 'a@example.test', password: 'x', redirectTo: '/\u0000/evil.example' })
    expect(res.status).toBe(422)
  })

  it('keeps an ordinary path with its query', async () => {
    const org = await createOrganization()
    const user = await createUser(org.id, 'partner_admin')
    const c = new HttpClient(server.url)
    await c.get('/login')
    const to = `/portal/${org.slug}/reports?period=2027-Q1`
    const res = await c.post('/login', { email: user.email, password: TEST_PASSWORD, redirectTo: to })
    expect(res.headers.get('location')).toBe(to)
  })
})

describe('3. rate limits', () => {
  // Every test client connects from 127.0.0.1: give the address its budget back for the tests after.
  afterEach(async () => {
    for (const ip of ['127.0.0.1', '::ffff:127.0.0.1', '::1']) await forgetAttempts(`signin:ip:${ip}`)
  })

  it('lets at most the limit of 15 concurrent wrong passwords through to a password check', async () => {
    const org = await createOrganization()
    const user = await createUser(org.id, 'partner_admin')
    const clients = await Promise.all(
      Array.from({ length: 15 }, async () => {
        const c = new HttpClient(server.url)
        await c.get('/login')
        return c
      }),
    )
    const statuses = await Promise.all(
      clients.map(async (c) => (await c.post('/login', { email: user.email, password: 'wrong password!' })).status),
    )
    expect(statuses.filter((s) => s === 401)).toHaveLength(5)
    expect(statuses.filter((s) => s === 429)).toHaveLength(10)
    // The right password is refused too until the window ends: the limit protects the account.
    const c = clients[0]!
    expect((await c.post('/login', { email: user.email, password: TEST_PASSWORD })).status).toBe(429)
  })

  it('does not believe X-Forwarded-For from a client when no proxy is configured', async () => {
    const c = new HttpClient(server.url)
    await c.get('/login')
    const statuses: number[] = []
    // Twenty failures from one socket, each claiming another address, use up this address's wider limit.
    for (let i = 0; i < 21; i++) {
      c.headers = { 'X-Forwarded-For': `203.0.113.${i}` }
      statuses.push((await c.post('/login', { email: `${unique('nobody')}@example.test`, password: 'x' })).status)
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true)
    expect(statuses[20]).toBe(429)
  })
})

describe('4. request bodies are bounded while they stream', () => {
  it('stops reading a chunked 160 MiB body that declares no length at its limit, with 413', async () => {
    const url = new URL('/webhooks/docusign', server.url)
    const result = await new Promise<{ status: number; written: number }>((resolve, reject) => {
      let written = 0
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
        },
        (res) => {
          resolve({ status: res.statusCode!, written })
          res.resume()
          req.destroy()
        },
      )
      req.on('error', (e) => (written > 0 ? undefined : reject(e)))
      const chunk = Buffer.alloc(64 * 1024, 0x41)
      const pump = () => {
        while (written < 160 * 1024 * 1024) {
          written += chunk.length
          if (!req.write(chunk)) return req.once('drain', pump)
        }
        req.end()
      }
      pump()
    })
    expect(result.status).toBe(413)
    expect(result.written).toBeLessThan(20 * 1024 * 1024)
  })

  it('reads the CSRF token from the head of a multipart form only', async () => {
    const { org, c } = await signedIn()
    const form = new FormData()
    form.set('intent', 'upload')
    form.set('file', new Blob([Buffer.alloc(200 * 1024, 0x41)]), 'report.csv')
    // The token comes after a 200 KB file: it is not looked for there, so the post is refused.
    form.set('csrf', c.csrfToken())
    const res = await fetch(`${server.url}/portal/${org.slug}/reports`, {
      method: 'POST',
      body: form,
      headers: { Cookie: `__csrf=${c.cookie('__csrf')}; __session=${c.cookie('__session')}`, Origin: server.url },
      redirect: 'manual',
    })
    expect(res.status).toBe(403)
  })
})

describe('5. CSRF tokens are the server’s, bound to the session', () => {
  it('refuses a token the client made up, and one issued to another session', async () => {
    const { org, c } = await signedIn()
    const before = await db().invitation.count({ where: { organizationId: org.id } })
    const forged = await c.post(
      `/portal/${org.slug}/team`,
      { intent: 'invite', email: 'x@example.test', role: 'partner_engineer' },
      { csrf: 'made-up-by-the-client' },
    )
    expect(forged.status).toBe(403)
    const other = await signedIn()
    const borrowed = await c.post(
      `/portal/${org.slug}/team`,
      { intent: 'invite', email: 'x@example.test', role: 'partner_engineer' },
      { csrf: other.c.csrfToken() },
    )
    expect(borrowed.status).toBe(403)
    expect(await db().invitation.count({ where: { organizationId: org.id } })).toBe(before)
  })

  it('masks the token afresh in every page, so compressed pages never repeat it (BREACH, decision 042)', async () => {
    const c = new HttpClient(server.url)
    const inForm = async () => /name="csrf" value="([^"]+)"/.exec(await (await c.get('/login')).text())![1]!
    const [first, second] = [await inForm(), await inForm()]
    expect(first).not.toBe(second)
    for (const page of [first, second]) expect(page).not.toContain(c.csrfToken())
    const emailStep = (csrf: string) => c.post('/login', { step: 'email', email: 'a@example.test' }, { csrf })
    for (const masked of [first, second]) expect((await emailStep(masked)).status).toBe(200)
    const [mask, xored] = first.split('~') as [string, string]
    const tampered = `${mask}~${xored.startsWith('A') ? 'B' : 'A'}${xored.slice(1)}`
    expect((await emailStep(tampered)).status).toBe(403)
    // As long as the token in characters, longer in bytes: refused, not a 500.
    expect((await emailStep('é'.repeat(c.csrfToken().length))).status).toBe(403)
  })
})

describe('6. password reset and invitations', () => {
  const resetLink = async (email: string) => {
    await drainJobs()
    const mails = await db().mailMessage.findMany({ where: { to: email }, orderBy: { createdAt: 'desc' } })
    return mails[0]!.text.match(/\/reset-password\/(\S+)/)![1]!
  }

  it('keeps one reset link alive at a time, and none after a reset', async () => {
    const org = await createOrganization()
    const user = await createUser(org.id, 'partner_admin')
    const c = new HttpClient(server.url)
    await c.get('/forgot-password')
    await c.post('/forgot-password', { email: user.email })
    const first = await resetLink(user.email)
    await c.post('/forgot-password', { email: user.email })
    const second = await resetLink(user.email)
    expect(second).not.toBe(first)
    expect(await (await c.get(`/reset-password/${first}`)).text()).toContain('invalid or has expired')
    const done = await c.post(`/reset-password/${second}`, {
      password: 'a brand new password',
      confirm: 'a brand new password',
    })
    expect(done.status).toBe(302)
    expect(await (await c.get(`/reset-password/${second}`)).text()).toContain('invalid or has expired')
    // Only hashes are stored, and nothing secret waits in the outbox.
    const rows = await db().passwordResetToken.findMany({ where: { userId: user.id } })
    expect(rows.every((r) => r.tokenHash !== second && r.tokenHash !== first)).toBe(true)
    const outbox = await db().outboxMessage.findMany({ where: { jobName: 'identity.send-password-reset' } })
    expect(JSON.stringify(outbox)).not.toContain(second)
  })

  it('answers forgot-password the same for every address, and throttles it', async () => {
    const org = await createOrganization()
    const user = await createUser(org.id, 'partner_admin')
    const c = new HttpClient(server.url)
    await c.get('/forgot-password')
    // What differs in every response by design: the nonce and the masked CSRF token (also in the page's data).
    const strip = (t: string) =>
      t
        .replace(/<input[^>]*csrf[^>]*>/g, '')
        .replace(/nonce="[^"]*"/g, '')
        .replace(/[\w-]{80,}~[\w-]{80,}/g, '')
    const outboxBefore = await db().outboxMessage.count()
    const known = strip(await (await c.post('/forgot-password', { email: user.email })).text())
    const unknown = strip(
      await (await c.post('/forgot-password', { email: `${unique('nobody')}@example.test` })).text(),
    )
    expect(unknown).toBe(known)
    // The same work either way: one outbox row each.
    expect((await db().outboxMessage.count()) - outboxBefore).toBe(2)
    await c.post('/forgot-password', { email: user.email })
    await c.post('/forgot-password', { email: user.email })
    const throttled = await c.post('/forgot-password', { email: user.email })
    expect(throttled.status).toBe(429)
    expect(await throttled.text()).toContain('Too many reset requests')
  })

  it('never signs anyone in to an existing account through an invitation link', async () => {
    const home = await createOrganization()
    const existing = await createUser(home.id, 'partner_engineer')
    const { org, c: admin } = await signedIn()
    await admin.post(`/portal/${org.slug}/team`, { intent: 'invite', email: existing.email, role: 'partner_engineer' })
    await drainJobs()
    const mail = await db().mailMessage.findFirstOrThrow({
      where: { to: existing.email },
      orderBy: { createdAt: 'desc' },
    })
    const token = mail.text.match(/\/invitations\/(\S+)/)![1]!
    const stranger = new HttpClient(server.url)
    const page = (await (await stranger.get(`/invitations/${token}`)).text()).replaceAll('<!-- -->', '')
    expect(page).toContain(`Sign in as ${existing.email}`)
    const res = await stranger.post(`/invitations/${token}`, {})
    expect(res.status).toBe(401)
    expect(stranger.cookie('__session')).toBeUndefined()
    expect(await db().membership.count({ where: { organizationId: org.id, userId: existing.id } })).toBe(0)
    // Signed in as that person, the same link adds the membership.
    const invitee = new HttpClient(server.url)
    await invitee.signIn(existing.email, existing.password)
    await invitee.get(`/invitations/${token}`)
    expect((await invitee.post(`/invitations/${token}`, {})).status).toBe(302)
    expect(await db().membership.count({ where: { organizationId: org.id, userId: existing.id } })).toBe(1)
  })
})

describe('7. headers, cookies and sessions', () => {
  it('sends a nonce-based CSP that the page’s scripts carry, and forbids framing', async () => {
    const res = await fetch(`${server.url}/login`)
    const csp = res.headers.get('content-security-policy')!
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]!
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).toContain("object-src 'none'")
    const html = await res.text()
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0])
    expect(scripts.length).toBeGreaterThan(0)
    for (const s of scripts) expect(s).toContain(`nonce="${nonce}"`)
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin')
    // A second page gets another nonce.
    expect((await fetch(`${server.url}/login`)).headers.get('content-security-policy')).not.toContain(nonce)
  })

  it('makes cookies Secure and sends HSTS in a deployment, whatever APP_URL says', async () => {
    const saved = { ...process.env }
    Object.assign(process.env, {
      NODE_ENV: 'production',
      APP_URL: 'https://partners.ggml.example',
      REDIS_URL: process.env.REDIS_URL,
      SESSION_SECRET: 'x'.repeat(40),
      METRICS_TOKEN: 'm'.repeat(32),
      RESEND_API_KEY: 're_test',
      STRIPE_SECRET_KEY: 'sk_test_x',
      STRIPE_WEBHOOK_SECRET: 'whsec_x',
      GITHUB_TOKEN: 'ghp_test',
      CLOUD_SERVICE_TOKEN: 'c'.repeat(32),
      CERT_ISSUER_KEY: (await import('node:crypto'))
        .generateKeyPairSync('ed25519')
        .privateKey.export({ type: 'pkcs8', format: 'pem' })
        .toString(),
    })
    try {
      reloadEnv()
      const { secureCookies } = await import('../../app/lib/session.server.ts')
      expect(secureCookies()).toBe(true)
      const res = await fetch(`${server.url}/login`)
      expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/)
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k]
      Object.assign(process.env, saved)
      reloadEnv()
    }
    expect((await fetch(`${server.url}/login`)).headers.get('strict-transport-security')).toBeNull()
  })

  it('ends a session after the idle timeout and after its absolute lifetime', async () => {
    const { org, c } = await signedIn()
    const start = Date.now()
    const clock = travelTo(new Date(start))
    expect((await c.get(`/portal/${org.slug}`)).status).toBe(200)
    clock.advance(11 * 3600 * 1000) // within the 12-hour idle timeout
    expect((await c.get(`/portal/${org.slug}`)).status).toBe(200)
    clock.advance(13 * 3600 * 1000)
    expect((await c.get(`/portal/${org.slug}`)).status).toBe(302)

    const again = await signedIn()
    const clock2 = travelTo(new Date(start))
    // Active every ten hours, the session still ends 14 days after sign-in.
    for (let h = 0; h < 14 * 24 - 10; h += 10) {
      clock2.advance(10 * 3600 * 1000)
      expect((await again.c.get(`/portal/${again.org.slug}`)).status).toBe(200)
    }
    clock2.advance(20 * 3600 * 1000)
    expect((await again.c.get(`/portal/${again.org.slug}`)).status).toBe(302)
  })

  it('lists the person’s sessions and signs them out everywhere', async () => {
    const org = await createOrganization()
    const user = await createUser(org.id, 'partner_admin')
    const laptop = new HttpClient(server.url)
    const phone = new HttpClient(server.url)
    await laptop.signIn(user.email, user.password)
    await phone.signIn(user.email, user.password)
    const page = await (await laptop.get('/account')).text()
    expect(page).toContain('(this browser)')
    expect(await db().session.count({ where: { userId: user.id } })).toBe(2)
    await laptop.post('/account', { intent: 'end-others' })
    expect((await phone.get(`/portal/${org.slug}`)).status).toBe(302)
    expect((await laptop.get(`/portal/${org.slug}`)).status).toBe(200)
    const out = await laptop.post('/account', { intent: 'end-all' })
    expect(out.headers.get('location')).toBe('/login')
    expect(await db().session.count({ where: { userId: user.id } })).toBe(0)
  })
})

describe('8. files served back', () => {
  it('serves a spec sheet as a sandboxed attachment, and nothing once the badge is revoked', async () => {
    const org = await createOrganization()
    const requestId = newId()
    await db().certRequest.create({
      data: { id: requestId, organizationId: org.id, productName: 'Box', sku: 'B-1', createdById: 'x' },
    })
    const pdf = Buffer.from('%PDF-1.4\n<script>alert(1)</script>\n%%EOF')
    await db().certRequestFile.create({
      data: {
        id: newId(),
        organizationId: org.id,
        requestId,
        kind: 'spec_sheet',
        name: 'spec.pdf',
        contentType: 'application/pdf',
        bytes: new Uint8Array(pdf),
        sha256: 'x',
      },
    })
    const runnerId = newId()
    await db().certRunner.create({
      data: {
        id: runnerId,
        organizationId: org.id,
        name: 'r',
        publicKey: 'k',
        secretHash: unique('h'),
        fingerprint: {},
      },
    })
    const jobId = newId()
    await db().certJob.create({
      data: {
        id: jobId,
        organizationId: org.id,
        requestId,
        status: 'completed',
        nonce: unique('n'),
        modelShape: 'tiny',
        modelType: 'F16',
        modelSeed: 1,
        expectedModelSha256: 'x',
        nPrompt: 8,
        nGen: 8,
        repetitions: 1,
      },
    })
    const resultId = newId()
    await db().certResult.create({
      data: {
        id: resultId,
        jobId,
        organizationId: org.id,
        runnerId,
        payload: {},
        signature: 's',
        checks: [],
        accepted: true,
      },
    })
    const badgeId = newId()
    await db().certBadge.create({
      data: { id: badgeId, organizationId: org.id, requestId, resultId, assurance: 'runner-verified', summary: {} },
    })
    const res = await fetch(`${server.url}/badges/${badgeId}/spec-sheet`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-disposition')).toMatch(/^attachment;/)
    expect(res.headers.get('content-security-policy')).toContain('sandbox')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    await db().certBadge.update({ where: { id: badgeId }, data: { revokedAt: new Date() } })
    expect((await fetch(`${server.url}/badges/${badgeId}/spec-sheet`)).status).toBe(404)
  })
})

describe('9. smaller findings', () => {
  it('answers /metrics only with the bearer token', async () => {
    process.env.METRICS_TOKEN = 'metrics-'.repeat(4)
    reloadEnv()
    try {
      expect((await fetch(`${server.url}/metrics`)).status).toBe(401)
      const wrong = await fetch(`${server.url}/metrics`, { headers: { Authorization: 'Bearer nope' } })
      expect(wrong.status).toBe(401)
      const right = await fetch(`${server.url}/metrics`, {
        headers: { Authorization: `Bearer ${'metrics-'.repeat(4)}` },
      })
      expect(right.status).toBe(200)
      expect(await right.text()).toContain('http_request_duration')
    } finally {
      delete process.env.METRICS_TOKEN
      reloadEnv()
    }
  })

  it('keeps a client’s X-Request-Id only when it is a well-formed id', async () => {
    const kept = await fetch(`${server.url}/healthz`, { headers: { 'X-Request-Id': 'req-1234abcd' } })
    expect(kept.headers.get('x-request-id')).toBe('req-1234abcd')
    for (const bad of ['<script>', 'a b c d e f g h', 'x'.repeat(300), 'short']) {
      const res = await fetch(`${server.url}/healthz`, { headers: { 'X-Request-Id': bad } })
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
    }
  })

  it('answers NUL bytes, malformed JSON and invalid bodies with 400, 404 or 422, never 500', async () => {
    const { org, c } = await signedIn()
    expect((await c.get(`/portal/${org.slug}/reports/%00`)).status).toBe(404)
    expect((await c.get(`/portal/${org.slug}%00/reports`)).status).toBe(404)
    expect(
      (await c.post(`/portal/${org.slug}/team`, { intent: 'invite', email: 'a\u0000@example.test', role: 'x' })).status,
    ).toBe(422)
    // Registration is the runner call without a token: its body is read first (the others authenticate first).
    const malformed = await fetch(`${server.url}/api/runner/v1/register`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"token": ',
    })
    expect(malformed.status).toBe(400)
    expect((await malformed.json()).error.message).toContain('not valid JSON')
    const c2 = await signedContractFor(termsStartingToday())
    const { createApiToken } = await import('../../services/api-tokens/create-api-token.ts')
    const token = await createApiToken(await scopeFor(c2.partnerAdmin.id, c2.partner.id, 'api_tokens.create'), {
      name: 'nul',
      scopes: ['reports:write'],
    })
    const headers = { Authorization: `Bearer ${token.secret}`, 'Content-Type': 'application/json' }
    const api = (body: string) => fetch(`${server.url}/api/v1/reports`, { method: 'POST', headers, body })
    expect((await api('{"contractId": ')).status).toBe(400)
    expect((await api(JSON.stringify({ contractId: 'a\u0000b', period: '2027-Q1', lines: [] }))).status).toBe(422)
    expect((await api(JSON.stringify({ contractId: 42 }))).status).toBe(400)
  })

  it('needs a second person to terminate a contract', async () => {
    const c = await signedContractFor(termsStartingToday())
    const manager = new HttpClient(server.url)
    await manager.signIn(c.manager.email, c.manager.password)
    const asked = await manager.post(`/contracts/${c.contract.id}`, {
      intent: 'terminate',
      reason: 'Partner went bankrupt',
    })
    expect(await asked.text()).toContain('a second person must confirm it')
    expect((await db().contract.findUniqueOrThrow({ where: { id: c.contract.id } })).terminatedAt).toBeNull()
    // The person who asked cannot confirm, even holding the permission to.
    const finance = new HttpClient(server.url)
    await finance.signIn(c.finance.email, c.finance.password)
    expect(
      await (await finance.post(`/contracts/${c.contract.id}`, { intent: 'confirm-termination' })).text(),
    ).toContain('The contract is terminated.')
    const contract = await db().contract.findUniqueOrThrow({ where: { id: c.contract.id } })
    expect(contract.terminatedAt).not.toBeNull()
    expect(contract.terminationReason).toBe('Partner went bankrupt')
    expect(contract.status).toBe('terminated')
    // Finance acted inside the partner's organization: the audit log says on whose behalf.
    const audit = await db().auditEvent.findFirstOrThrow({
      where: { action: 'contract.terminated', targetId: c.contract.id },
    })
    expect(audit.actorEmail).toBe(c.finance.email)
    expect(audit.changes).toMatchObject({ actingOnBehalfOf: c.partner.slug })
  })
})
