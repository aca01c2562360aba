import { expectedModel } from '../../services/certification/known-models.ts'
import path from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { register } from '../../certification-lab/runner.ts'
import { signPayload } from '../../certification-lab/signing.ts'
import { verifyCredential } from '../../certification-lab/credentials.ts'
import { gunzipSync } from 'node:zlib'
import { withdrawCertRequest } from '#services/certification/withdraw-cert-request.ts'
import { requestCertification } from '#services/certification/request-certification.ts'
import { createRunnerToken } from '#services/certification/create-runner-token.ts'
import { db } from '../../services/db/client.ts'
import { HttpClient } from '../support/http-client.ts'
import { actorFor, scopeFor } from '../support/contracts.ts'
import { createOrganization, createUser, ggmlOrganization } from '../support/fixtures.ts'
import { queueReproduction } from '../../services/certification/queue-reproduction.ts'
import { reviewBadge } from '../../services/certification/review-badge.ts'
import { reviewQueue } from '../../services/certification/review-queue.ts'
import {
  lab,
  setUpCertificationLab,
  cpuLogits,
  post,
  honestProof,
  settled,
  runnerRow,
  asSpecified,
  partner,
  craftedBadge,
} from '../support/certification-lab.ts'

// Most tests here rerun a model on the CPU for the proof of execution. On the shared 2-core CI lane a
// test takes two to three times as long as alone, so the file's default is a bound on a hang, not on
// speed; speed is measured in bench/.
vi.setConfig({ testTimeout: 120_000 })
setUpCertificationLab()

describe('a badge over its life: expiry and withdrawal', () => {
  it(
    'a badge expires a year after issue: its page, SVG and shields endpoint say so, and the ' + 'directory drops it',
    async () => {
      const out = await craftedBadge('Aging Box', 'ages')
      const text = async (route: string) =>
        (await (await fetch(`${lab.server.url}${route}`)).text()).replaceAll('<!-- -->', '')
      expect(await text(`/badges/${out.badgeId}`)).toMatch(/valid until \d{4}-/)
      expect(await text('/certified')).toContain('Aging Box')
      // Searchable and filterable: by partner or product, backend and model.
      expect(await text('/certified?q=aging+box')).toContain('Aging Box')
      expect(await text('/certified?q=no-such-product')).toContain('Nothing matches: clear the filters.')
      expect(await text('/certified?q=aging&backend=no-such-backend')).not.toContain('Aging Box')

      await db().certBadge.update({
        where: { id: out.badgeId },
        data: { issuedAt: new Date(Date.now() - 366 * 86_400_000) },
      })
      expect(await text(`/badges/${out.badgeId}`)).toContain('EXPIRED')
      expect(await text(`/badges/${out.badgeId}/badge.svg`)).toContain('Powered by GGML: expired')
      expect(await (await fetch(`${lab.server.url}/badges/${out.badgeId}/shields.json`)).json()).toMatchObject({
        message: 'expired',
        color: 'lightgrey',
      })
      expect(await text('/certified')).not.toContain('Aging Box')
    },
    60_000,
  )

  it(
    'a partner withdraws a request: jobs stop, badges are revoked, and its results are logged again as ' + 'withdrawn',
    async () => {
      const c = await craftedBadge('Withdrawn Box', 'withdraws')
      const { jobId: pendingJob, requestId: pendingRequest } = await requestCertification(c.scope, {
        productName: 'Withdrawn Box',
        sku: 'WB-2',
        repetitions: 2,
      })
      expect((await (await post('/api/runner/v1/claim', { waitSeconds: 0 }, c.config.secret)).json()).job.id).toBe(
        pendingJob,
      )

      // Bad input, an engineer (no certification.withdraw) and another partner's scope change nothing.
      await expect(withdrawCertRequest(c.scope, c.requestId, { reason: 'not my call' })).rejects.toThrow(
        'certification.withdraw',
      )
      await expect(withdrawCertRequest(c.adminScope, c.requestId, { reason: '' })).rejects.toThrow('Say why')
      const other = await partner()
      await expect(withdrawCertRequest(other.adminScope, c.requestId, { reason: 'not mine' })).rejects.toThrow(
        'No such certification request',
      )
      expect((await db().certBadge.findUniqueOrThrow({ where: { id: c.badgeId } })).revokedAt).toBeNull()

      expect(await withdrawCertRequest(c.adminScope, c.requestId, { reason: 'product cancelled' })).toEqual({
        jobsStopped: 0,
        badgesRevoked: 1,
        resultsLogged: 1,
      })
      expect(await withdrawCertRequest(c.adminScope, pendingRequest, { reason: 'product cancelled' })).toEqual({
        jobsStopped: 1,
        badgesRevoked: 0,
        resultsLogged: 0,
      })
      await expect(withdrawCertRequest(c.adminScope, c.requestId, { reason: 'again' })).rejects.toThrow(
        'already withdrawn',
      )
      expect(await (await fetch(`${lab.server.url}/badges/${c.badgeId}/shields.json`)).json()).toMatchObject({
        message: 'revoked',
      })
      const entries = await db().certLogEntry.findMany({ where: { resultId: c.resultId }, orderBy: { seq: 'asc' } })
      expect(entries.map((e) => [e.accepted, e.failedChecks])).toEqual([
        [true, []],
        [false, ['withdrawn: product cancelled']],
      ])

      // The runner that still holds the withdrawn job is told so, and a late result is logged, not certified.
      const hb = await post(`/api/runner/v1/jobs/${pendingJob}/heartbeat`, { progress: 'still here' }, c.config.secret)
      expect(hb.status).toBe(409)
      expect((await hb.json()).error.message).toContain('withdrew')
      const job = await db().certJob.findUniqueOrThrow({ where: { id: pendingJob } })
      const rec = (n_prompt: number, n_gen: number, ts: number) => ({
        ...asSpecified(),
        n_prompt,
        n_gen,
        samples_ts: [ts, ts],
        avg_ts: ts,
        stddev_ts: 0,
      })
      const late = {
        schema: 'ggml-cert-result/1',
        jobId: pendingJob,
        nonce: job.nonce,
        runnerId: c.config.runnerId,
        model: {
          shape: job.modelShape,
          type: job.modelType,
          seed: job.modelSeed,
          sha256: job.expectedModelSha256,
          bytes: (await expectedModel(job.modelShape as '1b', job.modelType as 'Q4_0', job.modelSeed)).bytes,
        },
        hardware: lab.machine,
        bandwidth: { bytesPerSecond: 2e10, lastLevelCacheBytes: 32 * 2 ** 20 },
        records: [rec(512, 0, 900), rec(0, 128, 90)],
        correctness: cpuLogits,
        proof: await honestProof({
          nonce: job.nonce,
          model: { shape: job.modelShape, type: job.modelType, seed: job.modelSeed },
        }),
        createdAt: new Date().toISOString(),
      }
      const out = await (
        await post(
          `/api/runner/v1/jobs/${pendingJob}/result`,
          { result: late, signature: signPayload(late, c.keys.privateKey) },
          c.config.secret,
        )
      ).json()
      expect(out.checks.filter((x: { ok: boolean }) => !x.ok).map((x: { check: string }) => x.check)).toEqual(['job'])
      expect(await db().certLogEntry.count({ where: { jobId: pendingJob } })).toBe(1)
      expect((await (await fetch(`${lab.server.url}/certification/log`)).text()).replaceAll('<!-- -->', '')).toContain(
        'Chain intact',
      )
    },
    60_000,
  )

  it('withdraws from the portal page, with the reason asked for on the right card', async () => {
    const org = await createOrganization('oem_partner')
    const admin = await createUser(org.id, 'partner_admin')
    const scope = await scopeFor(admin.id, org.id, 'certification.view')
    const a = await requestCertification(scope, { productName: 'Card A', sku: 'A-1' })
    const b = await requestCertification(scope, { productName: 'Card B', sku: 'B-1' })
    const http = new HttpClient(lab.server.url)
    await http.signIn(admin.email, admin.password)
    const page = `/portal/${org.slug}/certification`
    const refused = await http.post(page, { intent: 'withdraw', requestId: a.requestId, reason: '' })
    expect(refused.status).toBe(422)
    const html = await refused.text()
    expect(html).toContain('Say why you withdraw')
    expect(html.match(/aria-invalid="true"/g)).toHaveLength(1) // only card A's reason field
    expect((await db().certRequest.findUniqueOrThrow({ where: { id: a.requestId } })).withdrawnAt).toBeNull()
    const done = (
      await (await http.post(page, { intent: 'withdraw', requestId: a.requestId, reason: 'SKU renamed' })).text()
    ).replaceAll('<!-- -->', '')
    expect(done).toContain('Withdrawn: 1 job(s) stopped')
    expect(done).toContain('Card A (A-1) · withdrawn')
    expect(done).toContain('SKU renamed')
    // Another run of card B: a runner that is not the partner's is refused on that card; any runner is fine.
    const wrongRunner = await http.post(page, { intent: 'queue', requestId: b.requestId, runnerId: 'not-a-runner' })
    expect(wrongRunner.status).toBe(422)
    expect(await wrongRunner.text()).toContain('Choose one of your registered runners')
    expect(await db().certJob.count({ where: { requestId: b.requestId } })).toBe(1)
    expect(await (await http.post(page, { intent: 'queue', requestId: b.requestId, runnerId: '' })).text()).toContain(
      'Another run queued',
    )
    expect(await db().certJob.count({ where: { requestId: b.requestId } })).toBe(2)
  }, 60_000)
})

describe('review by a certification engineer', () => {
  it('queues a run on any partner’s request that holds no badge yet; partners cannot use that path', async () => {
    const { queueRunForRequest } = await import('../../services/certification/queue-run-for-request.ts')
    const p = await partner()
    const unit = await register({
      server: lab.server.url,
      token: await createRunnerToken(p.scope),
      name: 'engineer-picked',
      dir: path.join(lab.dir, 'eng'),
    })
    const { requestId, jobId } = await requestCertification(p.scope, { productName: 'Unbadged Box', sku: 'UB-1' })
    const engineerUser = await createUser((await ggmlOrganization()).id, 'certification_engineer')
    const http = new HttpClient(lab.server.url)
    await http.signIn(engineerUser.email, engineerUser.password)
    const page = (await (await http.get('/certification')).text()).replaceAll('<!-- -->', '')
    expect(page).toContain('Unbadged Box (UB-1)')
    expect(page).toContain('Latest run: queued')
    expect(
      await http
        .post('/certification', { intent: 'queue-run', requestId, runnerId: unit.runnerId })
        .then((r) => r.text()),
    ).toContain('Run queued')
    const queued = await db().certJob.findMany({ where: { requestId }, orderBy: { createdAt: 'asc' } })
    expect(queued.map((j) => [j.id === jobId, j.assignedRunnerId, j.queuedById])).toEqual([
      [true, null, p.scope.actor.userId],
      [false, unit.runnerId, engineerUser.id],
    ])
    await expect(queueRunForRequest(p.scope.actor, requestId, undefined)).rejects.toThrow('ggml staff')
  })

  it(
    'queues a reproduction run on the partner’s runner; the accepted rerun is evidence, not a second badge, ' +
      'and approval follows',
    async () => {
      const b = await craftedBadge('Reproduced Box', 'repro')
      const engineerUser = await createUser((await ggmlOrganization()).id, 'certification_engineer')
      const engineer = await actorFor(engineerUser.id)
      const queued = (await reviewQueue(engineer)).find((q) => q.id === b.badgeId)!
      expect(queued).toMatchObject({
        reproduction: null,
        runsPending: 0,
        runners: [{ id: b.config.runnerId, name: 'repro' }],
      })
      await expect(reviewBadge(engineer, b.badgeId, 'approve', 'ok')).rejects.toThrow('needs a second accepted run')

      // From the review queue's page: the evidence is shown, approval refused, a reproduction queued on the partner's
      // runner.
      const http = new HttpClient(lab.server.url)
      await http.signIn(engineerUser.email, engineerUser.password)
      const page = (await (await http.get('/certification')).text()).replaceAll('<!-- -->', '')
      expect(page).toContain('Reproduced Box')
      expect(page).toContain('No second run yet')
      const refused = await http.post('/certification', { intent: 'approve', badgeId: b.badgeId, comment: 'ok' })
      expect(refused.status).toBe(409)
      expect(
        await http
          .post('/certification', { intent: 'reproduce', badgeId: b.badgeId, runnerId: b.config.runnerId })
          .then((r) => r.text()),
      ).toContain('Reproduction run queued')
      const { id: jobId } = await db().certJob.findFirstOrThrow({
        where: { requestId: b.requestId, assignedRunnerId: b.config.runnerId },
      })
      expect((await reviewQueue(engineer)).find((q) => q.id === b.badgeId)!.runsPending).toBe(1)
      const claim = await (await post('/api/runner/v1/claim', { waitSeconds: 0 }, b.config.secret)).json()
      expect(claim.job.id).toBe(jobId)
      const rec = (n_prompt: number, n_gen: number, ts: number) => ({
        ...asSpecified(),
        n_prompt,
        n_gen,
        samples_ts: [ts, ts],
        avg_ts: ts,
        stddev_ts: 0,
      })
      const result = {
        schema: 'ggml-cert-result/1',
        jobId,
        nonce: claim.job.nonce,
        runnerId: b.config.runnerId,
        model: claim.job.model,
        hardware: lab.machine,
        bandwidth: { bytesPerSecond: 2e10, lastLevelCacheBytes: 32 * 2 ** 20 },
        records: [rec(512, 0, 880), rec(0, 128, 92)],
        correctness: cpuLogits,
        proof: await honestProof(claim.job),
        createdAt: new Date().toISOString(),
      }
      const out = await settled(
        await (
          await post(
            `/api/runner/v1/jobs/${jobId}/result`,
            { result, signature: signPayload(result, b.keys.privateKey) },
            b.config.secret,
          )
        ).json(),
      )
      expect(out).toMatchObject({ accepted: true, badgeId: null })
      expect(await db().certBadge.count({ where: { requestId: b.requestId } })).toBe(1)
      // The same runner measured the same unit again: evidence on the public page, never a reproduction.
      expect((await reviewQueue(engineer)).find((q) => q.id === b.badgeId)!.reproduction).toBeNull()
      await expect(reviewBadge(engineer, b.badgeId, 'approve', 'same unit')).rejects.toThrow(
        'needs a second accepted run on another unit',
      )
      // A second unit, measured by another runner on another machine, reproduces it.
      const { newId } = await import('../../services/db/ids.ts')
      const unit2 = await runnerRow(b.org.id, { cpu: { model: 'unit 2' } })
      await db().certResult.create({
        data: {
          id: newId(),
          jobId,
          organizationId: b.org.id,
          runnerId: unit2,
          payload: result as object,
          signature: 's',
          checks: [],
          accepted: true,
        },
      })
      const evidence = (await reviewQueue(engineer)).find((q) => q.id === b.badgeId)!
      expect(evidence.reproduction).toMatchObject({ within: true })
      expect(evidence.reproduction!.ppDelta).toBeCloseTo(-20 / 900, 6)
      expect((await (await http.get('/certification')).text()).replaceAll('<!-- -->', '')).toContain(
        'reproduced within 5%',
      )
      await reviewBadge(engineer, b.badgeId, 'approve', 'reproduced on unit 2')
      expect((await db().certBadge.findUniqueOrThrow({ where: { id: b.badgeId } })).assurance).toBe('reviewed')
      // The public page shows the evidence behind "reviewed": the second run against the badge's numbers.
      const publicPage = (await (await fetch(`${lab.server.url}/badges/${b.badgeId}`)).text()).replaceAll(
        '<!-- -->',
        '',
      )
      expect(publicPage).toContain('Further runs of this product')
      expect(publicPage).toContain('Reproduced</strong>: a second run on another unit')
      expect(publicPage).toMatch(/−2\.2%.*\+2\.2%/s)
      // A partner cannot queue on another partner's product through the engineer's path either.
      const outsider = await partner()
      await expect(queueReproduction(outsider.scope.actor, b.badgeId, undefined)).rejects.toThrow('ggml staff')
    },
  )

  it(
    'approves a badge as reviewed only when a second run reproduces it within 5%, and rejects ' + 'by revoking',
    async () => {
      const { newId } = await import('../../services/db/ids.ts')
      const p = await partner()
      const { requestId, jobId } = await requestCertification(p.scope, { productName: 'Reviewed Box', sku: 'RB-1' })
      const runnerId = await runnerRow(p.org.id)
      const secondUnit = await runnerRow(p.org.id, { cpu: { model: 'unit 2' } })
      const rec = (pp: number, tg: number) => ({
        records: [
          { n_prompt: 512, n_gen: 0, avg_ts: pp },
          { n_prompt: 0, n_gen: 128, avg_ts: tg },
        ],
      })
      const result = (payload: unknown, by = runnerId) =>
        db().certResult.create({
          data: {
            id: newId(),
            jobId,
            organizationId: p.org.id,
            runnerId: by,
            payload: payload as object,
            signature: 's',
            checks: [],
            accepted: true,
          },
        })
      const first = await result(rec(2000, 100))
      const badge = await db().certBadge.create({
        data: {
          id: newId(),
          organizationId: p.org.id,
          requestId,
          resultId: first.id,
          assurance: 'runner-verified',
          summary: {
            shape: 'tiny',
            type: 'Q4_0',
            pp: { n: 512, ts: 2000, sd: 1 },
            tg: { n: 128, ts: 100, sd: 1 },
            cpu: '',
            backends: [],
          },
        },
      })
      const engineer = await actorFor((await createUser((await ggmlOrganization()).id, 'certification_engineer')).id)
      await expect(reviewBadge(engineer, badge.id, 'approve', 'looks right')).rejects.toThrow(
        'needs a second accepted run',
      )
      await result(rec(1990, 101)) // the same runner again: never a reproduction, however close
      await expect(reviewBadge(engineer, badge.id, 'approve', 'looks right')).rejects.toThrow(
        'needs a second accepted run',
      )
      await result(rec(2150, 100), secondUnit) // pp 7.5% off: not a reproduction
      await expect(reviewBadge(engineer, badge.id, 'approve', 'looks right')).rejects.toThrow(
        'needs a second accepted run',
      )
      await result(rec(1960, 103), secondUnit)
      await reviewBadge(engineer, badge.id, 'approve', 'reproduced on unit 2')
      expect((await db().certBadge.findUniqueOrThrow({ where: { id: badge.id } })).assurance).toBe('reviewed')
      await reviewBadge(engineer, badge.id, 'reject', 'unit recalled')
      expect((await db().certBadge.findUniqueOrThrow({ where: { id: badge.id } })).revokedAt).not.toBeNull()
      expect(await (await fetch(`${lab.server.url}/badges/${badge.id}/badge.svg`)).text()).toContain('revoked')
      // The revocation shows in the signed status list: the badge's bit is set.
      const list = await (await fetch(`${lab.server.url}/badges/status-list`)).json()
      const keyDoc = await (await fetch(`${lab.server.url}/.well-known/ggml-badge-key.json`)).json()
      expect(verifyCredential(list, keyDoc.verificationMethod[0].publicKeyMultibase)).toBe(true)
      const bits = gunzipSync(Buffer.from(list.credentialSubject.encodedList.slice(1), 'base64url'))
      const index = (await db().certBadge.findUniqueOrThrow({ where: { id: badge.id } })).statusIndex
      expect((bits[index >> 3]! >> (7 - (index & 7))) & 1).toBe(1)
    },
  )
})
