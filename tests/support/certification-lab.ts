import type { KeyObject } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, expect } from 'vitest'
import { proveExecution, type ExecutionProof } from '../../certification-lab/benchmark/proof.ts'
import { hardwareFingerprint, type HardwareFingerprint } from '../../certification-lab/hardware-fingerprint.ts'
import { register, takeChallenge } from '../../certification-lab/runner.ts'
import { mean } from '../../certification-lab/benchmark/llama-bench.ts'
import { loadOrCreateRunnerKeys, signPayload } from '../../certification-lab/signing.ts'
import { createRunnerToken } from '#services/certification/create-runner-token.ts'
import { knownModelPath } from '../../services/certification/known-models.ts'
import { requestCertification } from '#services/certification/request-certification.ts'
import { reloadEnv } from '../../services/platform/config/env.ts'
import { db } from '../../services/platform/db/client.ts'
import { newId } from '../../services/platform/db/ids.ts'
import { startAppServer } from './app-server.ts'
import { knowModels } from './certification.ts'
import { scopeFor } from './contracts.ts'
import { createOrganization, createUser } from './fixtures.ts'
import { drainJobs } from './jobs.ts'
import { postToRunnerApi } from './runner-api.ts'

/**
 * The certification lab's test harness: the app server, a folder for the runners, and this machine as
 * those runners register it (crafted results carry it too). Set by setUpCertificationLab's beforeAll.
 * One file uses it: its tests run one after another, so no real measurement shares the two cores
 * with another test's llama.cpp (the spread limit would refuse it).
 */
export const lab = {} as {
  server: Awaited<ReturnType<typeof startAppServer>>
  dir: string
  machine: HardwareFingerprint
}

export function setUpCertificationLab(): void {
  beforeAll(async () => {
    lab.machine = await hardwareFingerprint()
    // The platform's copies of the models on a clean checkout: the 1B-class one takes ~35 s alone, more
    // beside the other lane.
    await knowModels(['tiny', 'Q4_0'], ['small', 'F16'], ['1b', 'Q4_0'])
    lab.server = await startAppServer()
    lab.dir = await mkdtemp(path.join(tmpdir(), 'runner-'))
    // timing spread on a shared 2-core CI machine is noise; the spread rule is tested on its own
    process.env.CERT_MAX_CV = '10'
    reloadEnv()
  }, 300_000)
  afterAll(async () => {
    delete process.env.CERT_MAX_CV
    reloadEnv()
    await lab.server.close()
    await rm(lab.dir, { recursive: true, force: true })
  })
}

// The logits comparison of a CPU-only runner: the backend under test is the reference.
export const cpuLogits = {
  prompt: 'p',
  backend: 'CPU',
  reference: 'CPU',
  k: 2,
  tokens: [7, 9],
  backendLogprobs: [-8.1, -8.3],
  referenceLogprobs: [-8.1, -8.3],
}

export const post = (route: string, body: unknown, secret?: string) =>
  postToRunnerApi(lab.server.url, route, body, secret)

/** What an honest runner proves for a claimed job: the real llama.cpp on the prompt its nonce seeds. */
export const honestProof = (job: { nonce: string; model: { shape: string; type: string; seed: number } }) =>
  proveExecution({
    modelPath: knownModelPath(job.model.shape as 'tiny', job.model.type as 'Q4_0', job.model.seed),
    threads: 2,
    nonce: job.nonce,
  })

export type Check = { check: string; ok: boolean; detail: string }
/** The upload's answer, once the worker has recomputed the proof of execution of a held result. */
export type Outcome = {
  resultId: string
  accepted: boolean
  verifying?: boolean
  checks: Check[]
  badgeId: string | null
}
export async function settled(out: Outcome): Promise<Outcome> {
  if (!out.verifying) return out
  await drainJobs(60_000)
  const result = await db().certResult.findUniqueOrThrow({ where: { id: out.resultId }, include: { badges: true } })
  const checks = result.checks as Check[]
  return { resultId: result.id, accepted: result.accepted, checks, badgeId: result.badges[0]?.id ?? null }
}

/** A runner row for results written directly in a test (the database checks that results have one). */
export async function runnerRow(organizationId: string, fingerprint: object = {}): Promise<string> {
  const id = newId()
  await db().certRunner.create({
    data: { id, organizationId, name: 'test runner', publicKey: 'k', secretHash: `h-${id}`, fingerprint },
  })
  return id
}

/** A runner of the partner whose scope this is, registered from `dir` (a folder under lab.dir). */
export async function registerRunner(
  scope: Parameters<typeof createRunnerToken>[0],
  name: string,
  dir = name,
  fingerprint?: HardwareFingerprint,
) {
  const token = await createRunnerToken(scope)
  return register({ server: lab.server.url, token, name, dir: path.join(lab.dir, dir), fingerprint })
}

/** The job's default configuration, as an honest runner on this machine records it. */
export const asSpecified = () => ({
  n_batch: 512,
  n_ubatch: 512,
  n_threads: lab.machine.cpu.cores,
  flash_attn: 1,
  type_k: 'f16',
  type_v: 'f16',
})

/** A result signed with `privateKey` and uploaded by the runner whose secret it is: the platform's answer. */
export async function uploadSigned(jobId: string, result: object, privateKey: KeyObject, secret: string) {
  const res = await post(
    `/api/runner/v1/jobs/${jobId}/result`,
    { result, signature: signPayload(result, privateKey) },
    secret,
  )
  return res.json()
}

/** A llama-bench record of two repetitions around `ts` tokens/s, 1% apart each way (as honest runs spread). */
export const steady = (n_prompt: number, n_gen: number, ts: number) => ({
  ...asSpecified(),
  n_prompt,
  n_gen,
  samples_ts: [ts * 0.99, ts * 1.01],
  avg_ts: mean([ts * 0.99, ts * 1.01]),
  stddev_ts: ts * 0.01 * Math.SQRT2,
})

/**
 * Modest speeds for crafted results: well under what this 2-core machine does on the 1B-class model
 * (pp ~200, tg ~25 t/s alone), so the timed challenge they ask for is answered in time honestly.
 */
// A third of what this 2-core machine measures on the 1B-class model (pp512 about 160 t/s, tg128 about 35):
// the crafted results' timed challenges must come in on a slower or busier CI machine too (at 120 t/s
// claimed, a machine half as fast as this one answered pp late and the result was refused).
export const MODEST = { pp: 50, tg: 10 }

/** The timed challenge for `claimed`, taken as the runner takes it: the real llama.cpp on this machine. */
export const challenged = (
  jobId: string,
  job: { model: { shape: string; type: string; seed: number }; nPrompt: number; nGen: number },
  claimed: { pp: number; tg: number },
  secret: string,
) =>
  takeChallenge({
    test: { nPrompt: job.nPrompt, nGen: job.nGen },
    server: lab.server.url,
    secret,
    jobId,
    modelPath: knownModelPath(job.model.shape as 'tiny', job.model.type as 'Q4_0', job.model.seed),
    threads: lab.machine.cpu.cores,
    claimed,
    log: (l) => console.log(l),
  })

/**
 * A new partner's runner, registered on this machine under `name`, claims a fresh job and uploads a
 * crafted result signed with its key: `result` overrides the honest fields. Returns the platform's
 * answer with the partner, runner and job it made.
 */
export async function uploadCrafted(
  name: string,
  request: { productName?: string; modelShape: 'tiny' | 'small' | '1b'; modelType: 'Q4_0' | 'F16' },
  result: (
    job: { nonce: string; model: { shape: string; type: string; seed: number } },
    honest: { proof: ExecutionProof },
  ) => Record<string, unknown> | Promise<Record<string, unknown>> = () => ({}),
  /** challenge: false uploads without taking the timed challenge (an old or a cheating runner). */
  options: { challenge?: boolean } = {},
) {
  const p = await partner()
  const config = await registerRunner(p.scope, name)
  const { requestId, jobId } = await requestCertification(p.scope, {
    productName: name,
    sku: `${name}-1`,
    repetitions: 2,
    ...request,
  })
  const claim = await (await post('/api/runner/v1/claim', { waitSeconds: 0 }, config.secret)).json()
  const keys = await loadOrCreateRunnerKeys(path.join(lab.dir, name))
  const proof = await honestProof(claim.job)
  const body = {
    schema: 'ggml-cert-result/1',
    jobId,
    nonce: claim.job.nonce,
    runnerId: config.runnerId,
    model: claim.job.model,
    hardware: lab.machine,
    bandwidth: { bytesPerSecond: 2e10, lastLevelCacheBytes: 32 * 2 ** 20 },
    records: [steady(512, 0, MODEST.pp), steady(0, 128, MODEST.tg)],
    correctness: cpuLogits,
    proof,
    createdAt: new Date().toISOString(),
    ...(await result(claim.job, { proof })),
  }
  // The timed challenge for the speeds the result claims, answered honestly by this machine.
  const records = body.records as { n_prompt: number; n_gen: number; samples_ts?: number[] }[]
  const pp = records.find((x) => x.n_prompt === 512 && x.n_gen === 0)?.samples_ts
  const tg = records.find((x) => x.n_prompt === 0 && x.n_gen === 128)?.samples_ts
  if (options.challenge !== false && pp?.length && tg?.length)
    await challenged(jobId, claim.job, { pp: mean(pp), tg: mean(tg) }, config.secret)
  const out = await settled(await uploadSigned(jobId, body, keys.privateKey, config.secret))
  return { out, ...p, config, keys, requestId, jobId }
}

export async function partner() {
  const org = await createOrganization('oem_partner')
  const engineer = await createUser(org.id, 'partner_engineer')
  // Withdrawing revokes badges: a partner admin's decision, not an engineer's.
  const admin = await createUser(org.id, 'partner_admin')
  return {
    org,
    scope: await scopeFor(engineer.id, org.id, 'certification.view'),
    adminScope: await scopeFor(admin.id, org.id, 'certification.view'),
  }
}

// A partner with a runner and one accepted result on the 1B-class model (crafted with the real proof of
// execution, signed by the runner's key): a badge in seconds.
export async function craftedBadge(productName: string, runnerDir: string) {
  const { out, ...made } = await uploadCrafted(runnerDir, { productName, modelShape: '1b', modelType: 'Q4_0' })
  // The failed checks name why (a late challenge on a busy machine reads differently from a broken check).
  expect(out.accepted, JSON.stringify(out.checks.filter((c) => !c.ok))).toBe(true)
  return { ...made, badgeId: out.badgeId as string, resultId: out.resultId as string }
}
