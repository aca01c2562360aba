import { generateKeyPairSync } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRunnerToken } from '#services/certification/create-runner-token.ts'
import { requestCertification } from '#services/certification/request-certification.ts'
import { db } from '../../services/platform/db/client.ts'
import { startAppServer } from '../support/app-server.ts'
import { scopeFor } from '../support/contracts.ts'
import { createOrganization, createUser, ggmlOrganization } from '../support/fixtures.ts'
import { HttpClient } from '../support/http-client.ts'
import { postToRunnerApi, sampleFingerprint } from '../support/runner-api.ts'
import { knowModels } from '../support/certification.ts'

let server: Awaited<ReturnType<typeof startAppServer>>
beforeAll(async () => {
  await knowModels()
  server = await startAppServer()
})
afterAll(() => server.close())

async function registeredRunner() {
  const org = await createOrganization('oem_partner')
  const admin = await createUser(org.id, 'partner_admin')
  const engineer = await createUser(org.id, 'partner_engineer')
  const scope = await scopeFor(engineer.id, org.id, 'certification.view')
  const publicKey = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString()
  const res = await postToRunnerApi(server.url, '/api/runner/v1/register', {
    token: await createRunnerToken(scope),
    name: 'bench box 1',
    publicKey,
    fingerprint: sampleFingerprint(),
  })
  expect(res.status).toBe(201)
  const { runnerId, secret } = (await res.json()) as { runnerId: string; secret: string }
  return { org, admin, engineer, scope, runnerId, secret }
}

describe('revoking a runner', () => {
  it('the partner admin revokes it: its secret is refused and the job it held goes back to the queue', async () => {
    const r = await registeredRunner()
    await requestCertification(r.scope, {
      productName: 'Revoked Box',
      sku: 'RB-1',
      modelShape: 'tiny',
      modelType: 'Q4_0',
      repetitions: 2,
    })
    const claim = await postToRunnerApi(server.url, '/api/runner/v1/claim', { waitSeconds: 0 }, r.secret)
    const { job } = (await claim.json()) as { job: { id: string } }

    // An engineer of the partner may not revoke (runners.revoke is the admin's).
    const engineer = new HttpClient(server.url)
    await engineer.signIn(r.engineer.email, r.engineer.password)
    const refused = await engineer.post(`/portal/${r.org.slug}/certification`, {
      intent: 'revoke-runner',
      runnerId: r.runnerId,
    })
    expect(refused.status).toBe(403)
    expect((await db().certRunner.findUniqueOrThrow({ where: { id: r.runnerId } })).revokedAt).toBeNull()

    const admin = new HttpClient(server.url)
    await admin.signIn(r.admin.email, r.admin.password)
    const done = await admin.post(`/portal/${r.org.slug}/certification`, {
      intent: 'revoke-runner',
      runnerId: r.runnerId,
    })
    expect(done.status).toBe(200)
    expect(await done.text()).toContain('bench box 1 is revoked: its key is refused from now on; 1 job(s)')
    expect(await db().certJob.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({
      status: 'queued',
      claimedByRunnerId: null,
    })
    for (const route of ['/api/runner/v1/claim', `/api/runner/v1/jobs/${job.id}/heartbeat`]) {
      const res = await postToRunnerApi(server.url, route, { waitSeconds: 0 }, r.secret)
      expect(res.status).toBe(401)
      expect(await res.text()).toContain('unknown or revoked')
    }
    const audit = await db().auditEvent.findFirstOrThrow({
      where: { action: 'cert_runner.revoke', targetId: r.runnerId },
    })
    expect(audit.actorEmail).toBe(r.admin.email)
  })

  it('a certification engineer revokes one on the partner’s behalf, and the audit log says so', async () => {
    const r = await registeredRunner()
    const engineer = await createUser((await ggmlOrganization()).id, 'certification_engineer')
    const c = new HttpClient(server.url)
    await c.signIn(engineer.email, engineer.password)
    const res = await c.post(`/portal/${r.org.slug}/certification`, { intent: 'revoke-runner', runnerId: r.runnerId })
    expect(res.status).toBe(200)
    const audit = await db().auditEvent.findFirstOrThrow({
      where: { action: 'cert_runner.revoke', targetId: r.runnerId },
    })
    expect(audit).toMatchObject({ actorEmail: engineer.email, changes: { actingOnBehalfOf: r.org.slug } })
  })
})
