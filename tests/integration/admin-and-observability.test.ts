import { jobHandlers } from '../../server/job-handlers.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { db } from '../../services/platform/db/client.ts'
import { platformQueue } from '../../services/platform/jobs/queue.ts'
import { startWorker } from '../../services/platform/jobs/start-worker.ts'
import { startAppServer } from '../support/app-server.ts'
import { createOrganization, createUser, ggmlOrganization } from '../support/fixtures.ts'
import { HttpClient } from '../support/http-client.ts'

let server: Awaited<ReturnType<typeof startAppServer>>
let admin: HttpClient
beforeAll(async () => {
  server = await startAppServer()
  const user = await createUser((await ggmlOrganization()).id, 'ggml_admin')
  admin = new HttpClient(server.url)
  await admin.signIn(user.email, user.password)
})
afterAll(() => server.close())

describe('operations', () => {
  it('answers /healthz with the state of PostgreSQL and Redis', async () => {
    const res = await fetch(`${server.url}/healthz`)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ ok: true, checks: { database: 'ok', redis: 'ok' } })
  })

  it('exposes Prometheus metrics with latency by route pattern, job and domain counters', async () => {
    await fetch(`${server.url}/login`)
    const text = await (await fetch(`${server.url}/metrics`)).text()
    expect(text).toMatch(/http_request_duration_seconds_bucket\{[^}]*route="\/login"/)
    for (const name of [
      'jobs_completed_total',
      'jobs_failed_total',
      'sign_ins_total',
      'audit_events_total',
      'emails_sent_total',
    ])
      expect(text).toContain(`# TYPE ${name} counter`)
  })

  it('lists a failed job on the admin page and retries it, with the retry audited', async () => {
    const job = await platformQueue().add('email.send', { to: 'not-an-email' }, { attempts: 1 })
    const worker = startWorker(jobHandlers, 1)
    await new Promise<void>((resolve) => worker.on('failed', (j) => j?.id === job.id && resolve()))
    await worker.close()
    const page = await (await admin.get('/admin/jobs')).text()
    expect(page).toContain(job.id!)
    expect(page).toContain('Invalid email address')
    const retried = await admin.post('/admin/jobs', { jobId: job.id! })
    const body = (await retried.text()).replaceAll('<!-- -->', '')
    expect(body).toContain(`Job ${job.id} is queued again.`)
    expect(await (await platformQueue().getJob(job.id!))!.isFailed()).toBe(false)
    expect(await db().auditEvent.count({ where: { action: 'job.retry', targetId: job.id! } })).toBe(1)
    await (await platformQueue().getJob(job.id!))?.remove()
  })

  it('filters the audit log and exports it as CSV', async () => {
    const org = await createOrganization()
    const partner = await createUser(org.id, 'partner_admin')
    await new HttpClient(server.url).signIn(partner.email, partner.password)
    const filtered = await (await admin.get(`/admin/audit?actor=${encodeURIComponent(partner.email)}`)).text()
    expect(filtered).toContain('user.sign_in')
    const csv = await admin.get(`/admin/audit.csv?actor=${encodeURIComponent(partner.email)}`)
    expect(csv.headers.get('content-type')).toContain('text/csv')
    const lines = (await csv.text()).trim().split('\n')
    expect(lines[0]).toBe(
      'seq,occurredAt,actorEmail,actorUserId,organizationId,action,targetType,targetId,' +
        'changes,requestId,ip,prevHash,hash',
    )
    expect(lines).toHaveLength(2)
    expect(lines[1]).toContain(`${partner.email},${partner.id},,user.sign_in,user,${partner.id}`)
  })

  it('shows outgoing mail to admins and to nobody else', async () => {
    await db().mailMessage.create({
      data: {
        id: crypto.randomUUID(),
        idempotencyKey: crypto.randomUUID(),
        to: 'someone@example.test',
        subject: 'Visible to admins',
        text: 'x',
        html: 'x',
        transport: 'local',
      },
    })
    expect(await (await admin.get('/admin/mail')).text()).toContain('Visible to admins')
    const org = await createOrganization()
    const partner = await createUser(org.id, 'partner_admin')
    const c = new HttpClient(server.url)
    await c.signIn(partner.email, partner.password)
    expect((await c.get('/admin/mail')).status).toBe(403)
  })
})
