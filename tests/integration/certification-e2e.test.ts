import { knownModel, knownModelPath, knownWorkload } from '../../services/certification/known-models.ts'
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
import { requestCertification } from '#services/certification/request-certification.ts'
import { createRunnerToken } from '#services/certification/create-runner-token.ts'
import { db } from '../../services/db/client.ts'
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
  cpuLogits,
  post,
  honestProof,
  settled,
  runnerRow,
  steady,
  partner,
  craftedBadge,
  type Check,
} from '../support/certification-lab.ts'

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
      await drainJobs(60_000)
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
    180_000,
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
      const second = await register({
        server: lab.server.url,
        token: await createRunnerToken(p.scope),
        name: 'lab-1b-unit-2',
        dir: path.join(lab.dir, 'kestrel-1b-2'),
        fingerprint: unit2,
      })
      const engineer = await actorFor((await createUser((await ggmlOrganization()).id, 'certification_engineer')).id)
      const { jobId: again } = await queueReproduction(engineer, badge.id, second.runnerId)
      const claim = await (await post('/api/runner/v1/claim', { waitSeconds: 0 }, second.secret)).json()
      expect(claim.job.id).toBe(again)
      const measured = result.payload as { records: object[]; correctness: object }
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
      const out = await settled(
        await (
          await post(
            `/api/runner/v1/jobs/${again}/result`,
            { result: rerun, signature: signPayload(rerun, keys2.privateKey) },
            second.secret,
          )
        ).json(),
      )
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
      records: [steady(512, 0, 910), steady(0, 128, 89)],
      correctness: cpuLogits,
      proof: await honestProof(claim.job),
      createdAt: new Date().toISOString(),
    }
    const keys = await loadOrCreateRunnerKeys(path.join(lab.dir, 'ggml-lab'))
    const out = await settled(
      await (
        await post(
          `/api/runner/v1/jobs/${jobId}/result`,
          { result: rerun, signature: signPayload(rerun, keys.privateKey) },
          labRunner.secret,
        )
      ).json(),
    )
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
    await drainJobs(60_000)
    expect(await db().certJob.findUniqueOrThrow({ where: { id: jobId } })).toMatchObject({
      status: 'completed',
      progress: PIPELINE_PASSED,
    })
  }, 240_000)

  it('a request never synthesizes: the worker makes the model once, then its jobs join the queue', async () => {
    const p = await partner()
    const config = await register({
      server: lab.server.url,
      token: await createRunnerToken(p.scope),
      name: 'waits',
      dir: path.join(lab.dir, 'waits'),
    })
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
      expect(page).toMatch(/Issued by <a href="http[^"]+">[^<]+<\/a>, signed with the key/)
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
      const out = await (
        await post(
          `/api/runner/v1/jobs/${again.jobId}/result`,
          { result: body, signature: signPayload(body, keys.privateKey) },
          holder.secret,
        )
      ).json()
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
      const { newId } = await import('../../services/db/ids.ts')
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
