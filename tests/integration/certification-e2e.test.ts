import { knownModel, knownModelPath, knownWorkload, expectedModel } from '../../services/certification/known-models.ts'
import { MODEL_SEED } from '../../services/certification/job-specification.ts'
import { existsSync } from 'node:fs'
import { drainJobs } from '../support/jobs.ts'
import { generateKeyPairSync } from 'node:crypto'
import { link, mkdir, readdir, readFile, rm } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { register, run } from '../../certification-lab/runner.ts'
import { shapes, synthesizeModel } from '../../certification-lab/synthesize-model.ts'
import { extractVocab } from '../../native/extract-vocab.ts'
import { loadOrCreateRunnerKeys, signPayload } from '../../certification-lab/signing.ts'
import { verifyCredential } from '../../certification-lab/credentials.ts'
import { withdrawCertRequest } from '#services/certification/withdraw-cert-request.ts'
import { queueCertJob } from '#services/certification/queue-cert-job.ts'
import { queueRunForRequest as queueStaffRun } from '#services/certification/queue-run-for-request.ts'
import { requestCertification } from '#services/certification/request-certification.ts'
import { createRunnerToken } from '#services/certification/create-runner-token.ts'
import { db } from '../../services/platform/db/client.ts'
import { HttpClient } from '../support/http-client.ts'
import { actorFor, scopeFor } from '../support/contracts.ts'
import { createOrganization, createUser, ggmlOrganization } from '../support/fixtures.ts'
import { queueReproduction } from '../../services/certification/queue-reproduction.ts'
import { reviewBadge } from '../../services/certification/review-badge.ts'
import { reviewQueue } from '../../services/certification/review-queue.ts'
import { PIPELINE_PASSED } from '../../services/certification/settle-result.ts'
import type { DeclaredModel } from '../../services/certification/declare-partner-model.ts'
import {
  lab,
  setUpCertificationLab,
  registerRunner,
  uploadSigned,
  cpuLogits,
  post,
  honestProof,
  settled,
  runnerRow,
  steady,
  partner,
  craftedBadge,
  type Check,
  asSpecified,
  uploadCrafted,
  type Outcome,
  challenged,
  MODEST,
} from '../support/certification-lab.ts'
import { reloadEnv } from '../../services/platform/config/env.ts'
import { gunzipSync } from 'node:zlib'

// Most tests here rerun a model on the CPU for the proof of execution. On the shared 2-core CI lane a
// test takes two to three times as long as alone, so the file's default is a bound on a hang, not on
// speed; speed is measured in bench/.
vi.setConfig({ testTimeout: 120_000 })
setUpCertificationLab()

describe('the certification lab, end to end', () => {
  it(
    'a runner registers and runs the real llama.cpp on the CI-class model: a pipeline check, refused tampering, ' +
      'no badge',
    async () => {
      const p = await partner()
      const token = await createRunnerToken(p.scope)
      const { jobId } = await requestCertification(p.scope, {
        productName: 'Kestrel Edge Box 2',
        sku: 'KEB2-16G',
        modelShape: 'tiny',
        modelType: 'Q4_0',
        nPrompt: 512,
        nGen: 128,
        repetitions: 3,
      })
      const runnerDir = path.join(lab.dir, 'a')
      const config = await register({ server: lab.server.url, token, name: 'lab-box-1', dir: runnerDir })
      await expect(
        register({ server: lab.server.url, token, name: 'again', dir: path.join(lab.dir, 'b') }),
      ).rejects.toThrow('unknown, used or expired')
      const lines: string[] = []
      expect(await run({ dir: runnerDir, once: true, waitSeconds: 2, log: (l) => lines.push(l) })).toBe(1)
      // Every check at upload passed; the job waits while the platform's worker reruns the proof.
      expect(lines.at(-1)).toBe(
        'result uploaded: every check passed; the platform is recomputing its proof of execution',
      )
      expect((await db().certJob.findUniqueOrThrow({ where: { id: jobId } })).status).toBe('verifying')
      // The recomputation runs the CI-class model again; on a loaded 2-core lane it took over 60 s once.
      await drainJobs(180_000)
      expect((await db().certJob.findUniqueOrThrow({ where: { id: jobId } })).status).toBe('completed')

      const result = await db().certResult.findFirstOrThrow({ where: { jobId } })
      expect(result.accepted).toBe(true)
      expect(result.checks).toContainEqual({
        check: 'execution',
        ok: true,
        detail: expect.stringContaining('largest log-probability difference 0.0000 nats'),
      })
      // The CI-class model proves the pipeline: every check held, and no badge, no directory entry.
      expect(await db().certBadge.count({ where: { resultId: result.id } })).toBe(0)
      expect((await db().certJob.findUniqueOrThrow({ where: { id: jobId } })).progress).toBe(PIPELINE_PASSED)

      // Tampering: each rejected with its reason.
      const payload = result.payload as {
        records: { avg_ts: number }[]
        model: { sha256: string }
        jobId: string
        correctness: { backendLogprobs: number[] }
      }
      expect(result.checks).toContainEqual({
        check: 'correctness',
        ok: true,
        detail: expect.stringContaining('largest log-probability error 0.0000 nats'),
      })
      const keys = await loadOrCreateRunnerKeys(runnerDir)
      const upload = (r: unknown, signature: string) =>
        post(`/api/runner/v1/jobs/${jobId}/result`, { result: r, signature }, config.secret).then((res) => res.json())
      const failed = (o: { checks: { check: string; ok: boolean }[] }) =>
        o.checks.filter((c) => !c.ok).map((c) => c.check)
      const faster = structuredClone(payload)
      faster.records[1]!.avg_ts *= 2
      expect(failed(await upload(faster, result.signature))).toContain('signature')
      const otherKey = generateKeyPairSync('ed25519').privateKey
      expect(failed(await upload(payload, signPayload(payload, otherKey)))).toContain('signature')
      expect(failed(await upload(payload, result.signature))).toEqual(['nonce']) // a replay of the accepted result
      const wrongModel = structuredClone(payload)
      wrongModel.model.sha256 = '0'.repeat(64)
      expect(failed(await upload(wrongModel, signPayload(wrongModel, keys.privateKey)))).toEqual(
        expect.arrayContaining(['model']),
      )
      const wrongBackend = structuredClone(payload) // fast but wrong: its ranking is the reverse of the reference's
      wrongBackend.correctness.backendLogprobs.reverse()
      expect(failed(await upload(wrongBackend, signPayload(wrongBackend, keys.privateKey)))).toEqual([
        'nonce',
        'correctness',
      ])
      expect(await db().certBadge.count({ where: { organizationId: p.org.id } })).toBe(0)

      // Every submission, the rejected ones too, is in the public log, and the chain holds.
      const log = (await (await fetch(`${lab.server.url}/certification/log`)).text()).replaceAll('<!-- -->', '')
      expect(log).toContain('Chain intact')
      const entries = await db().certLogEntry.findMany({ where: { jobId } })
      expect(entries.map((e) => e.accepted)).toEqual([true, false, false, false, false, false])
      const directory = (await (await fetch(`${lab.server.url}/certified`)).text()).replaceAll('<!-- -->', '')
      expect(directory).not.toContain('Kestrel Edge Box 2')
    },
    360_000,
  )

  it(
    'an honest run of the 1B-class model on this machine earns a self-measured badge anyone can verify; a second ' +
      'runner on another machine makes it reproduced',
    async () => {
      const p = await partner()
      const { requestId, jobId } = await requestCertification(p.scope, {
        productName: 'Kestrel Edge Box 3',
        sku: 'KEB3-16G',
        modelShape: '1b',
        modelType: 'Q4_0',
        // Shorter tests than the standard pp512/tg128: on CI's two shared cores a 1B-class token is slow.
        nPrompt: 256,
        nGen: 64,
        repetitions: 2,
      })
      const runnerDir = path.join(lab.dir, 'kestrel-1b')
      await register({
        server: lab.server.url,
        token: await createRunnerToken(p.scope),
        name: 'lab-1b',
        dir: runnerDir,
      })
      // The runner's model cache holds the same bytes the platform made (a link saves synthesizing 622 MB again).
      await mkdir(path.join(runnerDir, 'models'), { recursive: true })
      await link(knownModelPath('1b', 'Q4_0', MODEL_SEED), path.join(runnerDir, 'models', `1b-Q4_0-${MODEL_SEED}.gguf`))
      const lines: string[] = []
      expect(await run({ dir: runnerDir, once: true, waitSeconds: 2, log: (l) => lines.push(l) })).toBe(1)
      await drainJobs(120_000)
      const result = await db().certResult.findFirstOrThrow({ where: { jobId } })
      expect({ accepted: result.accepted, failed: (result.checks as Check[]).filter((c) => !c.ok) }).toEqual({
        accepted: true,
        failed: [],
      })
      // The bounds held on the platform's figures, and the result states its efficiency.
      expect(result.checks).toContainEqual({
        check: 'bandwidth bound',
        ok: true,
        detail: expect.stringMatching(/^tg64 [\d.]+ t\/s is \d+% of the bound/),
      })
      const badge = await db().certBadge.findFirstOrThrow({ where: { resultId: result.id } })
      expect(badge.assurance).toBe('runner-verified')
      const page = (await (await fetch(`${lab.server.url}/badges/${badge.id}`)).text()).replaceAll('<!-- -->', '')
      expect(page).toContain('Kestrel Edge Box 3')
      expect(page).toContain('verifies against the runner’s registered key')
      expect(page).toContain(`<dt>Model</dt><dd>1B-class Q4_0 (synthesized, seed ${MODEL_SEED})</dd>`)
      // The assurance level in plain words, on the page and in the SVG's title.
      expect(page).toContain('Self-measured</strong>: measured by the partner’s own runner')
      const svg = await fetch(`${lab.server.url}/badges/${badge.id}/badge.svg`)
      expect(svg.headers.get('content-type')).toContain('image/svg+xml')
      expect(await svg.text()).toMatch(
        /<title>Powered by GGML: 1B-class Q4_0 · tg [\d.]+ t\/s · pp \d+ t\/s \(Self-measured\)/,
      )

      // The credential verifies offline with the published key, and not after a change.
      const credential = await (await fetch(`${lab.server.url}/badges/${badge.id}/credential.json`)).json()
      const keyDoc = await (await fetch(`${lab.server.url}/.well-known/ggml-badge-key.json`)).json()
      const key = keyDoc.verificationMethod[0].publicKeyMultibase
      expect(verifyCredential(credential, key)).toBe(true)
      expect(
        verifyCredential(
          JSON.parse(JSON.stringify(credential).replace('Kestrel Edge Box 3', 'Kestrel Edge Box 4')),
          key,
        ),
      ).toBe(false)
      expect(credential.credentialStatus).toMatchObject({
        type: 'BitstringStatusListEntry',
        statusPurpose: 'revocation',
      })
      const benchJson = await (await fetch(`${lab.server.url}/badges/${badge.id}/llama-bench.json`)).json()
      expect(benchJson.map((r: { n_prompt: number; n_gen: number }) => [r.n_prompt, r.n_gen])).toEqual([
        [256, 0],
        [0, 64],
      ])
      const sql = await (await fetch(`${lab.server.url}/badges/${badge.id}/llama-bench.sql`)).text()
      expect(sql).toMatch(/^CREATE TABLE IF NOT EXISTS test \(/)
      expect(sql.match(/^INSERT INTO test/gm)).toHaveLength(2)
      const shields = await (await fetch(`${lab.server.url}/badges/${badge.id}/shields.json`)).json()
      expect(shields).toMatchObject({
        schemaVersion: 1,
        label: 'Powered by GGML',
        message: expect.stringMatching(/tg [\d.]+ t\/s/),
      })

      expect((await (await fetch(`${lab.server.url}/certified`)).text()).replaceAll('<!-- -->', '')).toContain(
        'Kestrel Edge Box 3',
      )

      // A second runner, registered on another machine (this test gives it its own fingerprint), measures
      // another unit; its run within 5% is the reproduction a certification engineer approves.
      const unit2 = { ...lab.machine, cpu: { ...lab.machine.cpu, model: `${lab.machine.cpu.model} (unit 2)` } }
      const second = await registerRunner(p.scope, 'lab-1b-unit-2', 'kestrel-1b-2', unit2)
      const engineer = await actorFor((await createUser((await ggmlOrganization()).id, 'certification_engineer')).id)
      const { jobId: again } = await queueReproduction(engineer, badge.id, second.runnerId)
      const claim = await (await post('/api/runner/v1/claim', { waitSeconds: 0 }, second.secret)).json()
      expect(claim.job.id).toBe(again)
      const measured = result.payload as { records: { samples_ts: number[] }[]; correctness: object }
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
      const ranAt = { pp: mean(measured.records[0]!.samples_ts), tg: mean(measured.records[1]!.samples_ts) }
      expect((await challenged(again, claim.job, ranAt, second.secret)).inTime).toBe(true)
      const rerun = {
        schema: 'ggml-cert-result/1',
        jobId: again,
        nonce: claim.job.nonce,
        runnerId: second.runnerId,
        model: claim.job.model,
        hardware: unit2,
        records: measured.records,
        correctness: measured.correctness,
        proof: await honestProof(claim.job),
        createdAt: new Date().toISOString(),
      }
      const keys2 = await loadOrCreateRunnerKeys(path.join(lab.dir, 'kestrel-1b-2'))
      const out = await settled(await uploadSigned(again, rerun, keys2.privateKey, second.secret))
      expect(out).toMatchObject({ accepted: true, badgeId: null })
      expect((await reviewQueue(engineer)).find((q) => q.id === badge.id)!.reproduction).toMatchObject({ within: true })
      await reviewBadge(engineer, badge.id, 'approve', 'reproduced on unit 2')
      expect((await db().certBadge.findUniqueOrThrow({ where: { id: badge.id } })).assurance).toBe('reviewed')
      const reproduced = (await (await fetch(`${lab.server.url}/badges/${badge.id}`)).text()).replaceAll('<!-- -->', '')
      expect(reproduced).toContain('Reproduced')
      expect(requestId).toBeTruthy()
    },
    600_000,
  )

  it('a reproduction by ggml’s lab runner makes a badge Lab-verified; only an engineer makes lab tokens', async () => {
    const b = await craftedBadge('Lab Box', 'lab-box')
    await expect(createRunnerToken(b.adminScope, { lab: true })).rejects.toThrow()
    const engineerUser = await createUser((await ggmlOrganization()).id, 'certification_engineer')
    const onBehalf = await scopeFor(engineerUser.id, b.org.id, 'certification.view')
    const labMachine = { ...lab.machine, cpu: { ...lab.machine.cpu, model: `${lab.machine.cpu.model} (ggml lab)` } }
    const labRunner = await register({
      server: lab.server.url,
      token: await createRunnerToken(onBehalf, { lab: true }),
      name: 'ggml-lab-1',
      dir: path.join(lab.dir, 'ggml-lab'),
      fingerprint: labMachine,
    })
    expect(await db().certRunner.findUniqueOrThrow({ where: { id: labRunner.runnerId } })).toMatchObject({
      lab: true,
      organizationId: b.org.id,
    })
    expect(
      await db().auditEvent.count({ where: { organizationId: b.org.id, action: 'cert_runner_token.create_lab' } }),
    ).toBe(1)
    const engineer = await actorFor(engineerUser.id)
    const { jobId } = await queueReproduction(engineer, b.badgeId, labRunner.runnerId)
    const claim = await (await post('/api/runner/v1/claim', { waitSeconds: 0 }, labRunner.secret)).json()
    expect(claim.job.id).toBe(jobId)
    const rerun = {
      schema: 'ggml-cert-result/1',
      jobId,
      nonce: claim.job.nonce,
      runnerId: labRunner.runnerId,
      model: claim.job.model,
      hardware: labMachine,
      records: [steady(512, 0, (MODEST.pp * 910) / 900), steady(0, 128, (MODEST.tg * 89) / 90)],
      correctness: cpuLogits,
      proof: await honestProof(claim.job),
      createdAt: new Date().toISOString(),
    }
    await challenged(jobId, claim.job, { pp: (MODEST.pp * 910) / 900, tg: (MODEST.tg * 89) / 90 }, labRunner.secret)
    const keys = await loadOrCreateRunnerKeys(path.join(lab.dir, 'ggml-lab'))
    const out = await settled(await uploadSigned(jobId, rerun, keys.privateKey, labRunner.secret))
    expect(out).toMatchObject({ accepted: true, badgeId: null })
    await reviewBadge(engineer, b.badgeId, 'approve', 'measured a unit in the lab')
    expect((await db().certBadge.findUniqueOrThrow({ where: { id: b.badgeId } })).assurance).toBe('lab-verified')
    const page = (await (await fetch(`${lab.server.url}/badges/${b.badgeId}`)).text()).replaceAll('<!-- -->', '')
    expect(page).toContain('Lab-verified')
  }, 120_000)

  it('the runner daemon outlives a job withdrawn under it: it says why, backs off and takes the next', async () => {
    const p = await partner()
    const runnerDir = path.join(lab.dir, 'daemon')
    await register({ server: lab.server.url, token: await createRunnerToken(p.scope), name: 'daemon', dir: runnerDir })
    const job = { modelShape: 'tiny', modelType: 'Q4_0', repetitions: 2 } as const
    const first = await requestCertification(p.scope, { productName: 'Daemon A', sku: 'DA-1', ...job })
    const stop = new AbortController()
    const lines: string[] = []
    // The second request exists only once the first is withdrawn: the daemon cannot take it first,
    // and the withdrawal lands while the first job still runs (a tiny run takes seconds; this, milliseconds).
    let second: Promise<{ jobId: string }> | undefined
    const completed = await run({
      dir: runnerDir,
      waitSeconds: 1,
      signal: stop.signal,
      log: (line) => {
        lines.push(line)
        if (line.startsWith(`claimed job ${first.jobId}`)) {
          second = withdrawCertRequest(p.adminScope, first.requestId, { reason: 'recalled' }).then(() =>
            requestCertification(p.scope, { productName: 'Daemon B', sku: 'DB-1', ...job }),
          )
          second.catch(() => stop.abort()) // its reason surfaces below
        }
        if (line.startsWith('result ')) stop.abort()
      },
    })
    const { jobId } = await second!
    expect({ completed, lines }).toMatchObject({ completed: 1 })
    expect(lines).toContainEqual(
      expect.stringMatching(new RegExp(`^job ${first.jobId} stopped: .*409.* going on in \\d+ s$`)),
    )
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^claimed job ${jobId}`)))
    expect((await db().certJob.findUniqueOrThrow({ where: { id: jobId } })).status).toBe('verifying')
    // The queue also holds the earlier tests' recomputations on the 1B-class model (tens of seconds each
    // on two busy cores): this drain waits for them too.
    await drainJobs(180_000)
    expect(await db().certJob.findUniqueOrThrow({ where: { id: jobId } })).toMatchObject({
      status: 'completed',
      progress: PIPELINE_PASSED,
    })
  }, 300_000)

  it('a request never synthesizes: the worker makes the model once, then its jobs join the queue', async () => {
    const p = await partner()
    const config = await registerRunner(p.scope, 'waits')
    // Q8_0 of the tiny shape: a model no other test makes, so the platform lacks it here.
    const file = knownModelPath('tiny', 'Q8_0', MODEL_SEED)
    await rm(file, { force: true })
    await rm(`${file}.json`, { force: true })
    const first = await requestCertification(p.scope, {
      productName: 'Waits',
      sku: 'W-1',
      modelShape: 'tiny',
      modelType: 'Q8_0',
    })
    const again = await queueCertJob(p.scope, first.requestId, {})
    for (const id of [first.jobId, again.jobId])
      expect(await db().certJob.findUniqueOrThrow({ where: { id } })).toMatchObject({
        status: 'preparing',
        expectedModelSha256: '',
      })
    expect(existsSync(file)).toBe(false)
    expect((await post('/api/runner/v1/claim', { waitSeconds: 0 }, config.secret)).status).toBe(204)
    await drainJobs(60_000)
    const known = await knownModel('tiny', 'Q8_0', MODEL_SEED)
    for (const id of [first.jobId, again.jobId])
      expect(await db().certJob.findUniqueOrThrow({ where: { id } })).toMatchObject({
        status: 'queued',
        expectedModelSha256: known!.sha256,
      })
    // Written under another name and renamed: nothing partial is left beside it.
    expect((await readdir(path.dirname(file))).filter((f) => f.includes('.partial-'))).toEqual([])
    const claim = await (await post('/api/runner/v1/claim', { waitSeconds: 0 }, config.secret)).json()
    expect(claim.job.model).toMatchObject({ shape: 'tiny', type: 'Q8_0', sha256: known!.sha256, bytes: known!.bytes })
  }, 120_000)

  it(
    'certifies a partner’s own GGUF: only a runner holding that file takes the job, and the badge names ' + 'the model',
    async () => {
      const p = await partner()
      // The partner's own model file (a synthesized one stands in for a real GGUF here).
      const own = await synthesizeModel({
        vocabPath: extractVocab(),
        outPath: path.join(lab.dir, 'own.gguf'),
        shape: shapes.tiny,
        seed: 77,
        type: 'Q8_0',
      })
      const header = (await readFile(own.path)).subarray(0, 2 ** 20) // head -c 1M own.gguf
      const bad = requestCertification(p.scope, {
        productName: 'Own',
        sku: 'O1',
        modelShape: 'partner',
        ownModelName: 'Mine',
        ownModelSha256: 'not-a-hash',
      })
      await expect(bad).rejects.toThrow('64 hex digits')
      await expect(bad).rejects.toThrow('Attach your GGUF file’s header')
      const cut = requestCertification(p.scope, {
        productName: 'Own',
        sku: 'O1',
        modelShape: 'partner',
        ownModelName: 'Mine',
        ownModelSha256: own.sha256,
        ownModelHeader: header.subarray(0, 4096),
      })
      await expect(cut).rejects.toThrow('Model header: the header continues past the 4096 bytes given')
      expect(await db().certRequest.count({ where: { organizationId: p.org.id } })).toBe(0)
      const { jobId, requestId } = await requestCertification(p.scope, {
        productName: 'Own Model Box',
        sku: 'OMB-1',
        modelShape: 'partner',
        ownModelName: 'Own-Llama-Tiny Q8_0',
        ownModelSha256: own.sha256.toUpperCase(),
        ownModelHeader: header,
        repetitions: 3,
      })
      // The platform read the tensor table from the header: the same the platform computes for its own models.
      const job = await db().certJob.findUniqueOrThrow({ where: { id: jobId } })
      const declared = job.declaredModel as unknown as DeclaredModel
      expect(declared).toMatchObject({
        architecture: 'llama',
        tensors: 21,
        workload: await knownWorkload('tiny', 'Q8_0'),
      })
      const withoutDir = path.join(lab.dir, 'own-without')
      await register({
        server: lab.server.url,
        token: await createRunnerToken(p.scope),
        name: 'no model',
        dir: withoutDir,
      })
      // it does not hold the file: no job
      expect(await run({ dir: withoutDir, once: true, waitSeconds: 0, log: () => {} })).toBe(0)
      const holderDir = path.join(lab.dir, 'own-holder')
      const holder = await register({
        server: lab.server.url,
        token: await createRunnerToken(p.scope),
        name: 'holder',
        dir: holderDir,
      })
      expect((await post('/api/runner/v1/claim', { waitSeconds: 0, models: ['nope'] }, holder.secret)).status).toBe(422)
      const lines: string[] = []
      expect(
        await run({ dir: holderDir, once: true, waitSeconds: 1, models: [own.path], log: (l) => lines.push(l) }),
      ).toBe(1)
      expect(lines.at(-1)).toMatch(/^result accepted: badge /)
      const result = await db().certResult.findFirstOrThrow({ where: { jobId } })
      expect((result.payload as { model: { sha256: string; shape: string } }).model).toMatchObject({
        sha256: own.sha256,
        shape: 'partner',
      })
      const badge = await db().certBadge.findFirstOrThrow({ where: { resultId: result.id } })
      // The platform holds no copy of the partner's model: the badge is held, private, until ggml's lab measures it.
      expect(badge.assurance).toBe('held')
      expect((await fetch(`${lab.server.url}/badges/${badge.id}/badge.svg`)).status).toBe(404)
      expect(await (await fetch(`${lab.server.url}/certified?q=own-llama`)).text()).not.toContain('Own-Llama-Tiny')
      const engineerUser = await createUser((await ggmlOrganization()).id, 'certification_engineer')
      const engineer = await actorFor(engineerUser.id)
      await expect(reviewBadge(engineer, badge.id, 'approve', 'fine')).rejects.toThrow('ggml’s lab runner')
      const labMachine = { ...lab.machine, cpu: { ...lab.machine.cpu, model: `${lab.machine.cpu.model} (ggml lab)` } }
      const labDir = path.join(lab.dir, 'own-lab')
      const labRunner = await register({
        server: lab.server.url,
        token: await createRunnerToken(await scopeFor(engineerUser.id, p.org.id, 'certification.view'), { lab: true }),
        name: 'ggml-lab-own',
        dir: labDir,
        fingerprint: labMachine,
      })
      const { jobId: labJob } = await queueReproduction(engineer, badge.id, labRunner.runnerId)
      const labClaim = await (
        await post('/api/runner/v1/claim', { waitSeconds: 0, models: [own.sha256] }, labRunner.secret)
      ).json()
      expect(labClaim.job.id).toBe(labJob)
      const partnerRun = result.payload as { records: { samples_ts: number[]; avg_ts: number; stddev_ts: number }[] }
      const labRun = {
        ...(result.payload as object),
        jobId: labJob,
        nonce: labClaim.job.nonce,
        runnerId: labRunner.runnerId,
        hardware: labMachine,
        records: partnerRun.records.map((r) => ({
          ...r,
          samples_ts: r.samples_ts.map((x) => x * 1.01),
          avg_ts: r.avg_ts * 1.01,
          stddev_ts: r.stddev_ts * 1.01,
        })),
      }
      const labKeys = await loadOrCreateRunnerKeys(labDir)
      expect(await settled(await uploadSigned(labJob, labRun, labKeys.privateKey, labRunner.secret))).toMatchObject({
        accepted: true,
        badgeId: null,
      })
      await reviewBadge(engineer, badge.id, 'approve', 'measured in the lab')
      expect((await db().certBadge.findUniqueOrThrow({ where: { id: badge.id } })).assurance).toBe('lab-verified')
      expect(await (await fetch(`${lab.server.url}/badges/${badge.id}/badge.svg`)).text()).toContain(
        'Own-Llama-Tiny Q8_0 · tg ',
      )
      // The directory names it as the badge does, by the name it was requested under.
      const listed = await (await fetch(`${lab.server.url}/certified?q=own-llama`)).text()
      expect(listed.replaceAll('<!-- -->', '')).toContain('<td>Own-Llama-Tiny Q8_0</td>')
      expect(result.checks).toContainEqual({
        check: 'model shape',
        ok: true,
        detail:
          `llama.cpp loaded ${declared.parameters} parameters in ${declared.tensorBytes} bytes of tensors; ` +
          `${own.bytes} bytes, as the declared tensor table accounts for; the GGUF header is the one declared`,
      })
      // The public page says what the model is in words: partner-declared, with the table it declared.
      const page = (await (await fetch(`${lab.server.url}/badges/${badge.id}`)).text()).replaceAll('<!-- -->', '')
      for (const fact of [
        '<dt>Model</dt><dd>Own-Llama-Tiny Q8_0: partner-declared</dd>',
        '<dt>Architecture</dt><dd>llama</dd>',
        '<dt>Tensors</dt><dd>21 (q8_0 × 16, f32 × 5)</dd>',
        `<dt>SHA-256</dt><dd>${own.sha256}</dd>`,
        '<dt>Backend that ran</dt><dd>CPU</dd>',
        '<dt>Flash attention</dt><dd>on</dd>',
      ])
        expect(page).toContain(fact)
      expect(page).not.toContain('&quot;hardware&quot;') // facts, not a JSON dump
      expect(page).toContain(
        `[![Powered by GGML: Own-Llama-Tiny Q8_0 · tg ${(badge.summary as { tg: { ts: number } }).tg.ts.toFixed(1)}`,
      )
      expect(page).toMatch(/Issued by <a href="http[^"]+">[^<]+<\/a> and signed with its/)
      // A file whose header or size is not the declared one is refused, whatever the runner claims to hold.
      const again = await queueCertJob(p.scope, requestId, {})
      const claim = await (
        await post('/api/runner/v1/claim', { waitSeconds: 0, models: [own.sha256] }, holder.secret)
      ).json()
      expect(claim.job.id).toBe(again.jobId)
      const honest = result.payload as Record<string, unknown> & { model: Record<string, unknown> }
      const body = {
        ...honest,
        jobId: again.jobId,
        nonce: claim.job.nonce,
        model: { ...honest.model, bytes: own.bytes + 4096, headerSha256: 'f'.repeat(64) },
      }
      const keys = await loadOrCreateRunnerKeys(holderDir)
      const out = await uploadSigned(again.jobId, body, keys.privateKey, holder.secret)
      expect(out.checks.filter((c: { ok: boolean }) => !c.ok)).toContainEqual({
        check: 'model shape',
        ok: false,
        detail:
          `llama.cpp loaded ${declared.parameters} parameters in ${declared.tensorBytes} bytes of tensors; ` +
          `${own.bytes + 4096} bytes, but the declared tensor table accounts for ${own.bytes}; the GGUF header's ` +
          `SHA-256 ffffffffffffffff… ≠ declared ${declared.headerSha256.slice(0, 16)}…`,
      })
    },
    120_000,
  )

  it(
    'a request carries the product’s photo and spec sheet, checked by content; the badge page ' + 'shows them',
    async () => {
      const org = await createOrganization('oem_partner')
      const engineer = await createUser(org.id, 'partner_engineer')
      const http = new HttpClient(lab.server.url)
      await http.signIn(engineer.email, engineer.password)
      const page = `/portal/${org.slug}/certification`
      const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4])
      const pdf = new TextEncoder().encode('%PDF-1.7 spec sheet')
      const fields = { productName: 'Photo Box', sku: 'PB-1', modelShape: 'tiny', modelType: 'Q4_0' }
      // A PDF posted as the photo (whatever its name says) is refused, and nothing is stored.
      const refused = await http.postMultipart(page, fields, {
        photo: { name: 'box.png', type: 'image/png', bytes: pdf },
      })
      expect(refused.status).toBe(422)
      expect(await refused.text()).toContain('Photo: attach a PNG, JPEG or WebP image; “box.png” is not one.')
      expect(await db().certRequest.count({ where: { organizationId: org.id } })).toBe(0)
      // A partner's own model declared by a file that is no GGUF header: refused in words, nothing stored.
      const notHeader = await http.postMultipart(
        page,
        { ...fields, modelShape: 'partner', ownModelName: 'Own 1B', ownModelSha256: 'ab'.repeat(32) },
        { ownModelHeader: { name: 'header.gguf', type: 'application/octet-stream', bytes: pdf } },
      )
      expect(notHeader.status).toBe(422)
      expect(await notHeader.text()).toContain('Model header: not a GGUF file (it must start with “GGUF”)')
      expect(await db().certRequest.count({ where: { organizationId: org.id } })).toBe(0)
      const done = (
        await (
          await http.postMultipart(page, fields, {
            photo: { name: 'box.png', type: 'image/png', bytes: png },
            specSheet: { name: 'PB-1.pdf', type: 'application/pdf', bytes: pdf },
          })
        ).text()
      ).replaceAll('<!-- -->', '')
      expect(done).toContain('Certification requested')
      expect(done).toMatch(/Photo: box\.png \(SHA-256 [0-9a-f]{12}…\) · Spec sheet: PB-1\.pdf/)

      // Once certified, the public badge page shows the photo and links the spec sheet, served as what they are.
      const { newId } = await import('../../services/platform/db/ids.ts')
      const request = await db().certRequest.findFirstOrThrow({ where: { organizationId: org.id } })
      const job = await db().certJob.findFirstOrThrow({ where: { requestId: request.id } })
      const result = await db().certResult.create({
        data: {
          id: newId(),
          jobId: job.id,
          organizationId: org.id,
          runnerId: await runnerRow(org.id),
          payload: { records: [], hardware: {}, model: {} },
          signature: 's',
          checks: [],
          accepted: true,
        },
      })
      const badge = await db().certBadge.create({
        data: {
          id: newId(),
          organizationId: org.id,
          requestId: request.id,
          resultId: result.id,
          assurance: 'runner-verified',
          summary: {
            shape: 'tiny',
            type: 'Q4_0',
            pp: { n: 512, ts: 900, sd: 1 },
            tg: { n: 128, ts: 90, sd: 1 },
            cpu: '',
            backends: [],
          },
        },
      })
      const badgePage = await (await fetch(`${lab.server.url}/badges/${badge.id}`)).text()
      expect(badgePage).toContain(`/badges/${badge.id}/photo`)
      expect(badgePage).toContain('Spec sheet (PDF')
      const photo = await fetch(`${lab.server.url}/badges/${badge.id}/photo`)
      expect(photo.headers.get('content-type')).toBe('image/png')
      expect(photo.headers.get('x-content-type-options')).toBe('nosniff')
      expect(new Uint8Array(await photo.arrayBuffer())).toEqual(png)
      expect((await fetch(`${lab.server.url}/badges/${badge.id}/spec-sheet`)).headers.get('content-type')).toBe(
        'application/pdf',
      )
    },
  )
})

describe('what the certification lab refuses, and whose jobs a runner gets', () => {
  it('refuses results whose repetitions spread too far', async () => {
    delete process.env.CERT_MAX_CV
    reloadEnv()
    try {
      const rec = (n_prompt: number, n_gen: number, samples: [number, number]) => ({
        ...asSpecified(),
        n_prompt,
        n_gen,
        samples_ts: samples,
        avg_ts: (samples[0] + samples[1]) / 2,
        stddev_ts: Math.abs(samples[0] - samples[1]) / Math.SQRT2,
      })
      const { out } = await uploadCrafted('noisy', { modelShape: 'tiny', modelType: 'Q4_0' }, () => ({
        records: [rec(512, 0, [1000, 1010]), rec(0, 128, [30, 90])],
      }))
      expect(out.accepted).toBe(false)
      expect(out.checks.filter((c) => !c.ok).map((c) => c.check)).toEqual(['spread tg128'])
    } finally {
      process.env.CERT_MAX_CV = '10'
      reloadEnv()
    }
  })

  it('takes no spread the samples contradict, and no result after its lease expired', async () => {
    const p = await partner()
    const config = await registerRunner(p.scope, 'liar')
    const keys = await loadOrCreateRunnerKeys(path.join(lab.dir, 'liar'))
    const attempt = async (
      sku: string,
      tg: { samples_ts: number[]; avg_ts: number; stddev_ts: number },
      lapse = false,
      model: Record<string, unknown> = {},
    ) => {
      const { jobId } = await requestCertification(p.scope, {
        productName: `Liar ${sku}`,
        sku,
        modelShape: 'tiny',
        modelType: 'Q4_0',
        nPrompt: 512,
        nGen: 128,
        repetitions: 2,
      })
      const claim = await (await post('/api/runner/v1/claim', { waitSeconds: 0 }, config.secret)).json()
      await challenged(jobId, claim.job, { pp: 900, tg: tg.avg_ts }, config.secret)
      if (lapse)
        await db().certJob.update({ where: { id: jobId }, data: { leaseExpiresAt: new Date(Date.now() - 10_000) } })
      const result = {
        schema: 'ggml-cert-result/1',
        jobId,
        nonce: claim.job.nonce,
        runnerId: config.runnerId,
        model: { ...claim.job.model, ...model },
        hardware: lab.machine,
        bandwidth: { bytesPerSecond: 2e10, lastLevelCacheBytes: 32 * 2 ** 20 },
        records: [
          { ...asSpecified(), n_prompt: 512, n_gen: 0, samples_ts: [900, 900], avg_ts: 900, stddev_ts: 0 },
          { ...asSpecified(), n_prompt: 0, n_gen: 128, ...tg },
        ],
        correctness: cpuLogits,
        proof: await honestProof(claim.job),
        createdAt: new Date().toISOString(),
      }
      const out = await uploadSigned(jobId, result, keys.privateKey, config.secret)
      return (out.checks as { check: string; ok: boolean; detail: string }[]).filter((c) => !c.ok)
    }
    // Noisy samples (10 and 30 t/s) with a claimed spread of 0.1: the platform recomputes it.
    const lied = await attempt('L1', { samples_ts: [10, 30], avg_ts: 20, stddev_ts: 0.1 })
    expect(lied.map((c) => c.check)).toEqual(['spread tg128'])
    expect(lied[0]!.detail).toContain('disagrees with its own samples (20.000 ± 14.142)')
    const late = await attempt('L2', { samples_ts: [90, 90], avg_ts: 90, stddev_ts: 0 }, true)
    expect(late.map((c) => c.check)).toEqual(['lease'])
    // The model's size is the platform's: declaring a tiny one (to dodge the roofline) is refused.
    const small = await attempt('L3', { samples_ts: [90, 90], avg_ts: 90, stddev_ts: 0 }, false, { bytes: 1000 })
    expect(small.map((c) => c.check)).toEqual(['model shape'])
    expect(small[0]!.detail).toMatch(/declared tiny Q4_0 seed \d+, 1000 bytes; the job's model is tiny Q4_0/)
    // A refused result ends its job, saying what failed and what to do; it does not stay "running".
    const ended = await db().certJob.findFirstOrThrow({ where: { organizationId: p.org.id, request: { sku: 'L1' } } })
    expect(ended.status).toBe('failed')
    expect(ended.progress).toBe(
      'result rejected: spread tg128. Close other workloads on the machine, keep it cool, and run again.',
    )
    expect(late[0]!.detail).toMatch(/uploaded \d+ s after the job's lease expired/)
  })

  it('refuses what no hardware can do: tg above the bandwidth bound, pp and tg above the compute bound', async () => {
    const failed = (out: { checks: { check: string; ok: boolean; detail: string }[] }) =>
      out.checks.filter((c) => !c.ok)
    // The platform's 83 MB of F16 weights per token (token_embd aside) from this machine's two cores,
    // at most 100 GB/s each: ~2,400 t/s. Claiming 5,000 t/s is refused, with the efficiency stated.
    // (Without the timed challenge: these claims are refused by the bounds alone, before any timing.)
    const fast = await uploadCrafted(
      'too-fast',
      { modelShape: 'small', modelType: 'F16' },
      () => ({ records: [steady(512, 0, 3000), steady(0, 128, 5000)] }),
      { challenge: false },
    )
    expect(failed(fast.out)).toEqual([
      { check: 'bandwidth bound', ok: false, detail: expect.stringMatching(/^tg128 5000 t\/s is \d+% of the bound /) },
      {
        check: 'timed challenge',
        ok: false,
        detail: expect.stringContaining('no pp challenge answered for this job'),
      },
    ])
    expect(failed(fast.out)[0]!.detail).toContain('faster than memory allows')
    // The fabrication: 1,000,000 t/s on a model declared 1000 bytes. The size is refused, and
    // even at the platform's size the arithmetic is more than two cores can do.
    const fabricated = await uploadCrafted(
      'fabricated',
      { modelShape: 'tiny', modelType: 'Q4_0' },
      (job) => ({
        model: { ...(job.model as object), bytes: 1000 },
        records: [steady(512, 0, 600), steady(0, 128, 1_000_000)],
      }),
      { challenge: false },
    )
    expect(failed(fabricated.out).map((c) => c.check)).toEqual(['model shape', 'compute bound', 'timed challenge'])
    expect(failed(fabricated.out)[1]!.detail).toMatch(/tg128 1000000 t\/s is \d+\.\d% of \d+ t\/s.*more arithmetic/)
    // pp: a prompt of 512 at a billion tokens/s.
    const prompt = await uploadCrafted(
      'pp-fast',
      { modelShape: 'tiny', modelType: 'Q4_0' },
      () => ({ records: [steady(512, 0, 1e9), steady(0, 128, 90)] }),
      { challenge: false },
    )
    expect(failed(prompt.out)).toEqual([
      {
        check: 'compute bound',
        ok: false,
        detail: expect.stringMatching(/^pp512 1000000000 t\/s is .*more arithmetic/),
      },
      { check: 'timed challenge', ok: false, detail: expect.any(String) },
    ])
    // A GPU the runner never registered (or one the catalogue lacks) is not checked against host RAM.
    const gpu = await uploadCrafted('claims-gpu', { modelShape: 'tiny', modelType: 'Q4_0' }, () => ({
      records: [
        { ...steady(512, 0, 900), backends: 'CUDA' },
        { ...steady(0, 128, 90), backends: 'CUDA' },
      ],
    }))
    expect(failed(gpu.out)).toEqual([
      { check: 'device', ok: false, detail: expect.stringContaining('which the device catalogue lacks') },
    ])
    // An honest result states its efficiency against both bounds.
    const honest = await uploadCrafted('honest-bounds', { modelShape: 'small', modelType: 'F16' })
    expect(honest.out.checks).toContainEqual({
      check: 'bandwidth bound',
      ok: true,
      detail: expect.stringMatching(new RegExp(`^tg128 ${MODEST.tg.toFixed(1)} t/s is \\d+% of the bound`)),
    })
  }, 90_000)

  it('refuses a proof of execution the platform’s own run of the model contradicts', async () => {
    const failed = (out: Outcome) => out.checks.filter((c) => !c.ok)
    const tiny = { modelShape: 'tiny', modelType: 'Q4_0' } as const
    // Log-probabilities 0.2 nats off: the worker's CPU run of the platform's copy disagrees.
    const liar = await uploadCrafted('lying-proof', tiny, (_job, honest) => {
      const proof = structuredClone(honest.proof)
      proof.steps[0]!.logprobs = proof.steps[0]!.logprobs.map((x) => x - 0.2)
      return { proof }
    })
    expect(failed(liar.out)).toEqual([
      {
        check: 'execution',
        ok: false,
        detail: expect.stringMatching(/largest log-probability difference 0\.2\d+ nats .*at most 0\.05/),
      },
    ])
    // A good proof, but for another nonce (replayed from another job): the prompt is not this job's.
    const replayed = await uploadCrafted('replayed-proof', tiny, async (job) => ({
      proof: await honestProof({ ...job, nonce: 'another job' }),
    }))
    expect(failed(replayed.out)).toEqual([
      {
        check: 'execution',
        ok: false,
        detail: expect.stringContaining('another prompt than the one this job’s nonce seeds'),
      },
    ])
    // No proof at all is refused at upload.
    const none = await uploadCrafted('no-proof', tiny, () => ({ proof: undefined }))
    expect(failed(none.out).map((c) => c.check)).toEqual(['execution'])
    for (const p of [liar, replayed, none]) {
      expect(await db().certBadge.count({ where: { organizationId: p.org.id } })).toBe(0)
      expect((await db().certJob.findUniqueOrThrow({ where: { id: p.jobId } })).status).toBe('failed')
    }
  }, 120_000)

  it('compares the configuration as run with the job’s: batch, threads, flash attention, KV types', async () => {
    const { out } = await uploadCrafted('other-config', { modelShape: 'tiny', modelType: 'Q4_0' }, () => ({
      records: [
        { ...steady(512, 0, 900), n_ubatch: 2048, n_batch: 2048 },
        { ...steady(0, 128, 90), flash_attn: 0, type_k: undefined },
      ],
    }))
    expect(out.checks.filter((c) => !c.ok)).toEqual([
      {
        check: 'configuration',
        ok: false,
        detail:
          'pp512 ran n_batch 2048, the job specifies n_batch 512; pp512 ran n_ubatch 2048, the job specifies ' +
          'n_ubatch 512; tg128 ran flash attention off, the job specifies flash attention on; tg128 ran without ' +
          'stating type_k, the job specifies K cache f16',
      },
    ])
  }, 60_000)

  it('refuses a result measured on other hardware than the runner registered', async () => {
    const { out } = await uploadCrafted('elsewhere', { modelShape: 'tiny', modelType: 'Q4_0' }, () => ({
      hardware: { ...lab.machine, cpu: { ...lab.machine.cpu, model: 'Fabricated CPU 9000', cores: 128 } },
    }))
    expect(out.accepted).toBe(false)
    expect(out.checks.filter((c: { ok: boolean }) => !c.ok)).toEqual([
      {
        check: 'hardware',
        ok: false,
        detail: expect.stringMatching(/^measured on Fabricated CPU 9000 \(128 cores.*but the runner registered /),
      },
    ])
  }, 60_000)

  it('puts the job of a runner that vanished back in the queue when its lease lapses', async () => {
    const p = await partner()
    const a = await registerRunner(p.scope, 'vanishes', 'v1')
    const b = await registerRunner(p.scope, 'takes over', 'v2')
    const { jobId } = await requestCertification(p.scope, { productName: 'Lease', sku: 'L1' })
    const first = await (await post('/api/runner/v1/claim', { waitSeconds: 0 }, a.secret)).json()
    expect(first.job.id).toBe(jobId)
    expect((await post('/api/runner/v1/claim', { waitSeconds: 0 }, b.secret)).status).toBe(204)
    await db().certJob.update({ where: { id: jobId }, data: { leaseExpiresAt: new Date(Date.now() - 1000) } })
    const second = await (await post('/api/runner/v1/claim', { waitSeconds: 0 }, b.secret)).json()
    expect(second.job.id).toBe(jobId)
    const late = await post(`/api/runner/v1/jobs/${jobId}/heartbeat`, { progress: 'still here' }, a.secret)
    expect(late.status).toBe(409)
  })

  it(
    'runs a job on the runner the partner chose, and refuses another partner’s runner without ' + 'storing anything',
    async () => {
      const p = await partner()
      const a = await registerRunner(p.scope, 'unit 1', 'c1')
      const b = await registerRunner(p.scope, 'unit 2', 'c2')
      const { requestId, jobId } = await requestCertification(p.scope, {
        productName: 'Chosen',
        sku: 'C1',
        runnerId: b.runnerId,
      })
      expect((await post('/api/runner/v1/claim', { waitSeconds: 0 }, a.secret)).status).toBe(204)
      expect((await (await post('/api/runner/v1/claim', { waitSeconds: 0 }, b.secret)).json()).job.id).toBe(jobId)
      // Another run of the same product, for any runner: unit 1 takes it, with the same model and tests and a fresh
      // nonce.
      const { jobId: again } = await queueCertJob(p.scope, requestId, { runnerId: '' })
      const claimed = await (await post('/api/runner/v1/claim', { waitSeconds: 0 }, a.secret)).json()
      expect(claimed.job.id).toBe(again)
      const [first, second] = await Promise.all(
        [jobId, again].map((id) => db().certJob.findUniqueOrThrow({ where: { id } })),
      )
      expect(second).toMatchObject({
        modelShape: first!.modelShape,
        modelType: first!.modelType,
        nPrompt: first!.nPrompt,
        repetitions: first!.repetitions,
        expectedModelSha256: first!.expectedModelSha256,
      })
      expect(second!.nonce).not.toBe(first!.nonce)

      const other = await partner()
      const foreign = await registerRunner(other.scope, 'not yours', 'c3')
      const before = await db().certJob.count({ where: { organizationId: p.org.id } })
      await expect(
        requestCertification(p.scope, { productName: 'Sneaky', sku: 'S1', runnerId: foreign.runnerId }),
      ).rejects.toThrow('Choose one of your registered runners')
      await expect(queueCertJob(p.scope, requestId, { runnerId: foreign.runnerId })).rejects.toThrow(
        'Choose one of your registered runners',
      )
      await expect(queueCertJob(other.scope, requestId, {})).rejects.toThrow('No such certification request')
      expect(await db().certJob.count({ where: { organizationId: p.org.id } })).toBe(before)
      expect(await db().certRequest.count({ where: { organizationId: p.org.id } })).toBe(1)
    },
  )

  it('never gives a runner another partner’s job', async () => {
    const a = await partner()
    const b = await partner()
    const { jobId } = await requestCertification(a.scope, { productName: 'Private', sku: 'P1' })
    const bRunner = await registerRunner(b.scope, 'other partner', 'x')
    expect((await post('/api/runner/v1/claim', { waitSeconds: 0 }, bRunner.secret)).status).toBe(204)
    // Another partner's job is not found, as one that does not exist: nothing about it is told.
    expect((await post(`/api/runner/v1/jobs/${jobId}/heartbeat`, { progress: 'x' }, bRunner.secret)).status).toBe(404)
    expect(
      (await post(`/api/runner/v1/jobs/${jobId}/result`, { result: {}, signature: 'x' }, bRunner.secret)).status,
    ).toBe(404)
  })
})

describe('a badge over its life: expiry and withdrawal', () => {
  it(
    'a badge expires a year after issue: its page, SVG and shields endpoint say so, and the ' + 'directory drops it',
    async () => {
      const out = await craftedBadge('Aging Box', 'ages')
      const text = async (route: string) =>
        (await (await fetch(`${lab.server.url}${route}`)).text()).replaceAll('<!-- -->', '')
      expect(await text(`/badges/${out.badgeId}`)).toMatch(/valid until \d{1,2} [A-Z][a-z]+ \d{4}/)
      expect(await text('/certified')).toContain('Aging Box')
      // Searchable and filterable: by partner or product, backend and model.
      expect(await text('/certified?q=aging+box')).toContain('Aging Box')
      expect(await text('/certified?q=no-such-product')).toContain('Nothing matches: clear the filters.')
      expect(await text('/certified?q=aging&backend=no-such-backend')).not.toContain('Aging Box')

      await db().certBadge.update({
        where: { id: out.badgeId },
        data: { issuedAt: new Date(Date.now() - 366 * 86_400_000) },
      })
      expect(await text(`/badges/${out.badgeId}`)).toMatch(/Expired on \d{1,2} [A-Z][a-z]+ \d{4}:/)
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
        records: [steady(512, 0, 900), steady(0, 128, 90)],
        correctness: cpuLogits,
        proof: await honestProof({
          nonce: job.nonce,
          model: { shape: job.modelShape, type: job.modelType, seed: job.modelSeed },
        }),
        createdAt: new Date().toISOString(),
      }
      const out = await uploadSigned(pendingJob, late, c.keys.privateKey, c.config.secret)
      expect(out.checks.filter((x: { ok: boolean }) => !x.ok).map((x: { check: string }) => x.check)).toEqual([
        'job',
        'timed challenge',
      ])
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
    // The page's form names itself (`_form`), so the message lands on card A's form alone.
    const refused = await http.post(page, {
      intent: 'withdraw',
      _form: `withdraw-${a.requestId}`,
      requestId: a.requestId,
      reason: '',
    })
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
    const unit = await registerRunner(p.scope, 'engineer-picked', 'eng')
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
      const result = {
        schema: 'ggml-cert-result/1',
        jobId,
        nonce: claim.job.nonce,
        runnerId: b.config.runnerId,
        model: claim.job.model,
        hardware: lab.machine,
        bandwidth: { bytesPerSecond: 2e10, lastLevelCacheBytes: 32 * 2 ** 20 },
        records: [steady(512, 0, (MODEST.pp * 880) / 900), steady(0, 128, (MODEST.tg * 92) / 90)],
        correctness: cpuLogits,
        proof: await honestProof(claim.job),
        createdAt: new Date().toISOString(),
      }
      await challenged(jobId, claim.job, { pp: (MODEST.pp * 880) / 900, tg: (MODEST.tg * 92) / 90 }, b.config.secret)
      const out = await settled(await uploadSigned(jobId, result, b.keys.privateKey, b.config.secret))
      expect(out).toMatchObject({ accepted: true, badgeId: null })
      expect(await db().certBadge.count({ where: { requestId: b.requestId } })).toBe(1)
      // The same runner measured the same unit again: evidence on the public page, never a reproduction.
      expect((await reviewQueue(engineer)).find((q) => q.id === b.badgeId)!.reproduction).toBeNull()
      await expect(reviewBadge(engineer, b.badgeId, 'approve', 'same unit')).rejects.toThrow(
        'needs a second accepted run on another unit',
      )
      // A second unit, measured by another runner on another machine, reproduces it.
      const { newId } = await import('../../services/platform/db/ids.ts')
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
      const { newId } = await import('../../services/platform/db/ids.ts')
      const p = await partner()
      const { requestId, jobId } = await requestCertification(p.scope, { productName: 'Reviewed Box', sku: 'RB-1' })
      const runnerId = await runnerRow(p.org.id)
      const secondUnit = await runnerRow(p.org.id, { cpu: { model: 'unit 2' } })
      const rec = (pp: number, tg: number) => ({
        records: [
          // As llama-bench writes them: a record without its samples is not read as one.
          { n_prompt: 512, n_gen: 0, avg_ts: pp, stddev_ts: 1, samples_ts: [pp] },
          { n_prompt: 0, n_gen: 128, avg_ts: tg, stddev_ts: 1, samples_ts: [tg] },
        ],
      })
      const result = (payload: unknown, by = runnerId, onJob = jobId) =>
        db().certResult.create({
          data: {
            id: newId(),
            jobId: onJob,
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
      // Another unit, but on a run the partner queued itself: it chose when and on what, so it does not count.
      await result(rec(1960, 103), secondUnit)
      await expect(reviewBadge(engineer, badge.id, 'approve', 'looks right')).rejects.toThrow(
        'queued by a ggml engineer',
      )
      const { jobId: staffJob } = await queueStaffRun(engineer, requestId, secondUnit)
      await result(rec(2150, 100), secondUnit, staffJob) // pp 7.5% off: not a reproduction
      await expect(reviewBadge(engineer, badge.id, 'approve', 'looks right')).rejects.toThrow(
        'needs a second accepted run',
      )
      await result(rec(1960, 103), secondUnit, staffJob)
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
