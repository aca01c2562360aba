import { reloadEnv } from '../../services/config/env.ts'
import path from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { register } from '../../certification-lab/runner.ts'
import { loadOrCreateRunnerKeys, signPayload } from '../../certification-lab/signing.ts'
import { queueCertJob } from '#services/certification/queue-cert-job.ts'
import { requestCertification } from '#services/certification/request-certification.ts'
import { createRunnerToken } from '#services/certification/create-runner-token.ts'
import { db } from '../../services/db/client.ts'
import {
  lab,
  setUpCertificationLab,
  cpuLogits,
  post,
  honestProof,
  asSpecified,
  steady,
  uploadCrafted,
  partner,
  type Outcome,
} from '../support/certification-lab.ts'

// Most tests here rerun a model on the CPU for the proof of execution. On the shared 2-core CI lane a
// test takes two to three times as long as alone, so the file's default is a bound on a hang, not on
// speed; speed is measured in bench/.
vi.setConfig({ testTimeout: 120_000 })
setUpCertificationLab()

describe('what the certification lab refuses, and whose jobs a runner gets', () => {
  it('refuses results whose repetitions spread too far', async () => {
    delete process.env.CERT_MAX_CV
    reloadEnv()
    try {
      const p = await partner()
      const config = await register({
        server: lab.server.url,
        token: await createRunnerToken(p.scope),
        name: 'noisy',
        dir: path.join(lab.dir, 'noisy'),
      })
      const { jobId } = await requestCertification(p.scope, {
        productName: 'Noisy',
        sku: 'N1',
        modelShape: 'tiny',
        modelType: 'Q4_0',
        nPrompt: 512,
        nGen: 128,
        repetitions: 2,
      })
      const claim = await (await post('/api/runner/v1/claim', { waitSeconds: 0 }, config.secret)).json()
      const keys = await loadOrCreateRunnerKeys(path.join(lab.dir, 'noisy'))
      const rec = (n_prompt: number, n_gen: number, samples: number[]) => ({
        ...asSpecified(),
        n_prompt,
        n_gen,
        samples_ts: samples,
        avg_ts: (samples[0]! + samples[1]!) / 2,
        stddev_ts: Math.abs(samples[0]! - samples[1]!) / Math.SQRT2,
      })
      const result = {
        schema: 'ggml-cert-result/1',
        jobId,
        nonce: claim.job.nonce,
        runnerId: config.runnerId,
        model: claim.job.model,
        hardware: lab.machine,
        bandwidth: { bytesPerSecond: 2e10, lastLevelCacheBytes: 32 * 2 ** 20 },
        records: [rec(512, 0, [1000, 1010]), rec(0, 128, [100, 300])],
        correctness: cpuLogits,
        proof: await honestProof(claim.job),
        createdAt: new Date().toISOString(),
      }
      const out = await (
        await post(
          `/api/runner/v1/jobs/${jobId}/result`,
          { result, signature: signPayload(result, keys.privateKey) },
          config.secret,
        )
      ).json()
      expect(out.accepted).toBe(false)
      expect(out.checks.filter((c: { ok: boolean }) => !c.ok).map((c: { check: string }) => c.check)).toEqual([
        'spread tg128',
      ])
    } finally {
      process.env.CERT_MAX_CV = '10'
      reloadEnv()
    }
  })

  it('takes no spread the samples contradict, and no result after its lease expired', async () => {
    const p = await partner()
    const config = await register({
      server: lab.server.url,
      token: await createRunnerToken(p.scope),
      name: 'liar',
      dir: path.join(lab.dir, 'liar'),
    })
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
      const out = await (
        await post(
          `/api/runner/v1/jobs/${jobId}/result`,
          { result, signature: signPayload(result, keys.privateKey) },
          config.secret,
        )
      ).json()
      return (out.checks as { check: string; ok: boolean; detail: string }[]).filter((c) => !c.ok)
    }
    // Noisy samples (100 and 300 t/s) with a claimed spread of 0.1: the platform recomputes it.
    const lied = await attempt('L1', { samples_ts: [100, 300], avg_ts: 200, stddev_ts: 0.1 })
    expect(lied.map((c) => c.check)).toEqual(['spread tg128'])
    expect(lied[0]!.detail).toContain('disagrees with its own samples (200.000 ± 141.421)')
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
    const fast = await uploadCrafted('too-fast', { modelShape: 'small', modelType: 'F16' }, () => ({
      records: [steady(512, 0, 3000), steady(0, 128, 5000)],
    }))
    expect(failed(fast.out)).toEqual([
      { check: 'bandwidth bound', ok: false, detail: expect.stringMatching(/^tg128 5000 t\/s is \d+% of the bound /) },
    ])
    expect(failed(fast.out)[0]!.detail).toContain('faster than memory allows')
    // The fabrication: 1,000,000 t/s on a model declared 1000 bytes. The size is refused, and
    // even at the platform's size the arithmetic is more than two cores can do.
    const fabricated = await uploadCrafted('fabricated', { modelShape: 'tiny', modelType: 'Q4_0' }, (job) => ({
      model: { ...(job.model as object), bytes: 1000 },
      records: [steady(512, 0, 600), steady(0, 128, 1_000_000)],
    }))
    expect(failed(fabricated.out).map((c) => c.check)).toEqual(['model shape', 'compute bound'])
    expect(failed(fabricated.out)[1]!.detail).toMatch(/tg128 1000000 t\/s is \d+\.\d% of \d+ t\/s.*more arithmetic/)
    // pp: a prompt of 512 at a billion tokens/s.
    const prompt = await uploadCrafted('pp-fast', { modelShape: 'tiny', modelType: 'Q4_0' }, () => ({
      records: [steady(512, 0, 1e9), steady(0, 128, 90)],
    }))
    expect(failed(prompt.out)).toEqual([
      {
        check: 'compute bound',
        ok: false,
        detail: expect.stringMatching(/^pp512 1000000000 t\/s is .*more arithmetic/),
      },
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
      detail: expect.stringMatching(/^tg128 90\.0 t\/s is 4% of the bound/),
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
    const a = await register({
      server: lab.server.url,
      token: await createRunnerToken(p.scope),
      name: 'vanishes',
      dir: path.join(lab.dir, 'v1'),
    })
    const b = await register({
      server: lab.server.url,
      token: await createRunnerToken(p.scope),
      name: 'takes over',
      dir: path.join(lab.dir, 'v2'),
    })
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
      const a = await register({
        server: lab.server.url,
        token: await createRunnerToken(p.scope),
        name: 'unit 1',
        dir: path.join(lab.dir, 'c1'),
      })
      const b = await register({
        server: lab.server.url,
        token: await createRunnerToken(p.scope),
        name: 'unit 2',
        dir: path.join(lab.dir, 'c2'),
      })
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
      const foreign = await register({
        server: lab.server.url,
        token: await createRunnerToken(other.scope),
        name: 'not yours',
        dir: path.join(lab.dir, 'c3'),
      })
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
    const bRunner = await register({
      server: lab.server.url,
      token: await createRunnerToken(b.scope),
      name: 'other partner',
      dir: path.join(lab.dir, 'x'),
    })
    expect((await post('/api/runner/v1/claim', { waitSeconds: 0 }, bRunner.secret)).status).toBe(204)
    expect((await post(`/api/runner/v1/jobs/${jobId}/heartbeat`, { progress: 'x' }, bRunner.secret)).status).toBe(409)
    expect(
      (await post(`/api/runner/v1/jobs/${jobId}/result`, { result: {}, signature: 'x' }, bRunner.secret)).status,
    ).toBe(404)
  })
})
