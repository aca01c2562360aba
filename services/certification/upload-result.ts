import { verifyPayload } from '../../certification-lab/signing.ts'
import { compareLogits } from '../../certification-lab/benchmark/logits-check.ts'
import { mean as meanOf, sampleStddev } from '../../certification-lab/benchmark/llama-bench.ts'
import { z } from 'zod'
import { maxCv } from './job-specification.ts'
import { expectedModel, knownWorkload, PARTNER_MODEL } from './known-models.ts'
import { declaredWorkload, physicalBoundChecks } from './physical-bounds.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { newId } from '../platform/db/ids.ts'
import { enqueueJob } from '../platform/jobs/enqueue-job.ts'
import { settleResult } from './settle-result.ts'
import { configurationCheck } from './run-configuration.ts'
import { executionProofSchema } from '../../certification-lab/benchmark/proof.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { nowMs } from '../platform/clock.ts'
import { timedChallengeCheck } from './challenge-check.ts'
import { plausibilityFlags } from './plausibility.ts'
import {
  readDeclaredModel,
  synthesizedModel,
  readRunConfiguration,
  readFingerprint,
  type Check,
} from './stored-certification.ts'
import { toJsonColumn } from '../platform/db/json-column.ts'

export const recordSchema = z
  .object({
    n_prompt: z.number(),
    n_gen: z.number(),
    avg_ts: z.number().positive(),
    stddev_ts: z.number().min(0),
    samples_ts: z.array(z.number().positive()),
  })
  .passthrough()
export const resultSchema = z.object({
  schema: z.literal('ggml-cert-result/1'),
  jobId: z.string(),
  nonce: z.string(),
  runnerId: z.string(),
  model: z.object({
    shape: z.string(),
    type: z.string(),
    seed: z.number(),
    sha256: z.string(),
    bytes: z.number(),
    /** A partner's own model: the SHA-256 of the file's GGUF header, as the runner read it. */
    headerSha256: z.string().optional(),
  }),
  hardware: z.record(z.string(), z.unknown()),
  records: z.array(recordSchema).min(1),
  bandwidth: z
    .object({ bytesPerSecond: z.number().positive(), lastLevelCacheBytes: z.number().positive() })
    .passthrough()
    .optional(),
  correctness: z
    .object({
      prompt: z.string(),
      backend: z.string(),
      reference: z.literal('CPU'),
      k: z.number().int().positive(),
      tokens: z.array(z.number().int()),
      backendLogprobs: z.array(z.number()),
      referenceLogprobs: z.array(z.number()),
    })
    .passthrough()
    .optional(),
  proof: executionProofSchema.optional(),
  createdAt: z.string(),
})
/** What the runner saw other processes take while it measured, when that explains a spread. */
const busyNote = (share: unknown) =>
  typeof share === 'number' && share >= 0.05
    ? `other processes took ${Math.round(share * 100)}% of the CPU while it measured; `
    : ''

// Read as the runner wrote it, each value as it is: the words must differ exactly when the machines do.
const machineSchema = z
  .looseObject({
    cpu: z
      .looseObject({ model: z.unknown().optional(), cores: z.unknown().optional(), threads: z.unknown().optional() })
      .optional()
      .catch(undefined),
    memoryBytes: z.unknown().optional(),
    gpus: z.unknown().optional(),
    backends: z.unknown().optional(),
  })
  .catch({})

/** The stable facts of a hardware fingerprint, in words: CPU, cores, threads, memory, GPUs, backends. */
export function machineOf(fingerprint: unknown): string {
  const f = machineSchema.parse(fingerprint)
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String).join(' + ') : '')
  return (
    `${String(f.cpu?.model ?? 'unknown CPU')} (${String(f.cpu?.cores ?? '?')} cores, ` +
    `${String(f.cpu?.threads ?? '?')} threads), ${String(f.memoryBytes ?? '?')} bytes of memory, ` +
    `GPUs [${list(f.gpus)}], backends [${list(f.backends)}]`
  )
}

export type { Check } from './stored-certification.ts'
/**
 * Checks an uploaded result: the runner's signature, the job and nonce (no replay), the model's
 * hash, complete measurements, their spread, the roofline and the logits against the CPU
 * reference. Every result is kept with its checks; an accepted
 * one earns a runner-verified badge at once.
 */
export async function uploadResult(
  runner: { id: string; organizationId: string; publicKey: string },
  jobId: string,
  body: { result: unknown; signature: string },
) {
  const job = await unscopedDb('token').certJob.findUnique({ where: { id: jobId } })
  if (!job || job.organizationId !== runner.organizationId) throw new AppError('not_found', 'No such job.')
  const parsed = resultSchema.safeParse(body.result)
  if (!parsed.success)
    throw new AppError(
      'invalid_input',
      `The result is not a ggml-cert-result/1 document: ` +
        `${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    )
  const r = parsed.data
  const checks: Check[] = []
  const add = (check: string, ok: boolean, detail: string) => checks.push({ check, ok, detail })
  add(
    'signature',
    verifyPayload(body.result, body.signature, runner.publicKey),
    'Ed25519 signature by the registered runner key over the canonical JSON',
  )
  if (job.status === 'withdrawn')
    add('job', false, 'the partner withdrew this job; the result is logged, not certified')
  else if (job.status === 'failed' || job.status === 'verifying')
    add('job', false, `this job already has its result (${job.status}): run a fresh job`)
  else
    add(
      'job',
      r.jobId === job.id && r.runnerId === runner.id && job.claimedByRunnerId === runner.id,
      'for this job, by the runner that claimed it',
    )
  // A result that arrives after its lease lapsed was measured while the job was free for another
  // runner to claim: refused, whatever it says. The lease only matters while the job runs: once it
  // has its result, a late upload is a replay, which the nonce check names.
  if (job.status === 'running' && job.leaseExpiresAt && job.leaseExpiresAt.getTime() < nowMs())
    add(
      'lease',
      false,
      `uploaded ${Math.round((nowMs() - job.leaseExpiresAt.getTime()) / 1000)} s after the job's lease expired; ` +
        'run the job again (the runner renews its lease while it works)',
    )
  // The machine that measured must be the one the runner registered: a result from other hardware
  // (another unit, a faster box) would certify what was not measured (issue 10).
  const registered = await unscopedDb('token').certRunner.findUnique({
    where: { id: runner.id },
    select: { fingerprint: true, lab: true },
  })
  const fingerprint = readFingerprint(registered?.fingerprint)
  const [ran, enrolled] = [machineOf(r.hardware), machineOf(registered?.fingerprint)]
  add(
    'hardware',
    ran === enrolled,
    ran === enrolled
      ? 'measured on the machine the runner registered'
      : `measured on ${ran}, but the runner registered ${enrolled}`,
  )
  add(
    'nonce',
    r.nonce === job.nonce && job.status !== 'completed',
    job.status === 'completed' ? 'the job already has an accepted result: a replay' : 'the nonce issued with the job',
  )
  add(
    'model',
    r.model.sha256 === job.expectedModelSha256,
    `model SHA-256 ${r.model.sha256.slice(0, 16)}… ` +
      (r.model.sha256 === job.expectedModelSha256 ? 'matches' : `≠ expected ${job.expectedModelSha256.slice(0, 16)}…`),
  )
  // The model's shape and size are the platform's: for a synthesized model it knows them; a result
  // that declares others is refused, and the roofline divides by the platform's size. A partner's
  // model is what it declared at request time: the header's digest and the size its table accounts for.
  let modelBytes = r.model.bytes
  const declared = readDeclaredModel(job.declaredModel)
  const synthesized = job.modelShape === PARTNER_MODEL ? undefined : synthesizedModel(job)
  if (synthesized) {
    const known = await expectedModel(synthesized.shape, synthesized.type, job.modelSeed)
    const same =
      r.model.shape === job.modelShape &&
      r.model.type === job.modelType &&
      r.model.seed === job.modelSeed &&
      r.model.bytes === known.bytes
    add(
      'model shape',
      same,
      same
        ? `${job.modelShape} ${job.modelType}, ${known.bytes} bytes, as the platform synthesizes it`
        : `declared ${r.model.shape} ${r.model.type} seed ${r.model.seed}, ${r.model.bytes} bytes; ` +
            `the job's model is ${job.modelShape} ${job.modelType} seed ${job.modelSeed}, ${known.bytes} bytes`,
    )
    modelBytes = known.bytes
  } else if (declared) {
    const { min, max } = declared.fileBytes
    const sized = r.model.bytes >= min && r.model.bytes <= max
    const header = r.model.headerSha256 === declared.headerSha256
    // What llama.cpp said of the file it loaded (llama-bench's model_n_params and model_size).
    const loaded = r.records.every(
      (x) => x.model_n_params === declared.parameters && x.model_size === declared.tensorBytes,
    )
    const said = r.records[0]
    add(
      'model shape',
      sized && header && loaded,
      [
        loaded
          ? `llama.cpp loaded ${declared.parameters} parameters in ${declared.tensorBytes} bytes of tensors`
          : `llama.cpp loaded ${String(said?.model_n_params)} parameters in ${String(said?.model_size)} bytes of ` +
            `tensors; the declared table has ${declared.parameters} in ${declared.tensorBytes}`,
        sized
          ? `${r.model.bytes} bytes, as the declared tensor table accounts for`
          : `${r.model.bytes} bytes, but the declared tensor table accounts for ${min === max ? min : `${min}–${max}`}`,
        header
          ? 'the GGUF header is the one declared'
          : r.model.headerSha256
            ? `the GGUF header's SHA-256 ${r.model.headerSha256.slice(0, 16)}… ≠ declared ` +
              `${declared.headerSha256.slice(0, 16)}…`
            : 'no GGUF header digest in the result: run the current runner',
      ].join('; '),
    )
  }
  const pp = r.records.find((x) => x.n_prompt === job.nPrompt && x.n_gen === 0)
  const tg = r.records.find((x) => x.n_prompt === 0 && x.n_gen === job.nGen)
  add(
    'measurements',
    Boolean(pp && tg && pp.samples_ts.length >= job.repetitions && tg.samples_ts.length >= job.repetitions),
    `pp${job.nPrompt} and tg${job.nGen}, ${job.repetitions} repetitions each`,
  )
  const ranAs = configurationCheck(
    [pp, tg].filter((x) => x !== undefined),
    readRunConfiguration(job.configuration),
    fingerprint.cpu?.cores,
  )
  add('configuration', ranAs.ok, ranAs.detail)
  // The spread is the platform's, recomputed from the samples: the runner's avg_ts and stddev_ts must
  // agree with it, and the coefficient of variation is judged on the recomputed figures.
  for (const x of [pp, tg].filter(Boolean)) {
    // The same formulas llama-bench reports with: the mean and the sample standard deviation (n − 1).
    const [mean, sd] = [meanOf(x!.samples_ts), sampleStddev(x!.samples_ts)]
    const agrees = (claimed: number, actual: number) => Math.abs(claimed - actual) <= 1e-6 * Math.max(1, actual)
    const cv = mean > 0 ? sd / mean : Infinity
    const name = `spread ${x!.n_prompt ? `pp${x!.n_prompt}` : `tg${x!.n_gen}`}`
    if (!agrees(x!.avg_ts, mean) || !agrees(x!.stddev_ts, sd))
      add(
        name,
        false,
        `the runner's avg_ts ${x!.avg_ts.toFixed(3)} ± ${x!.stddev_ts.toFixed(3)} disagrees with its own samples ` +
          `(${mean.toFixed(3)} ± ${sd.toFixed(3)})`,
      )
    else
      add(
        name,
        cv <= maxCv(),
        `recomputed from ${x!.samples_ts.length} samples: coefficient of variation ${(cv * 100).toFixed(1)}% ` +
          `(at most ${maxCv() * 100}%)` +
          (cv > maxCv() ? `; ${busyNote(x!.other_cpu_share)}close other workloads and run the job again` : ''),
      )
  }
  // What honest hardware does not produce (identical samples, a spread below the floor, more
  // threads than cores, a CPU the catalogue does not know or contradicts) holds the badge for review.
  const flags = plausibilityFlags({
    records: [pp, tg].filter((x) => x !== undefined),
    registered: fingerprint,
    backend: String((tg ?? pp)?.backends ?? 'CPU'),
  })
  for (const f of flags) checks.push({ check: f.flag, ok: true, review: true, detail: f.detail })
  if (!flags.length)
    add(
      'plausibility',
      true,
      'the samples spread as honest runs do, the threads fit the registered cores, and the registered CPU is in ' +
        'the catalogue of current CPUs with the cores and instruction sets it declared',
    )
  // A product whose badge an engineer rejected earns no badge unreviewed again.
  const rejected = await unscopedDb('token').certBadge.count({
    where: { requestId: job.requestId, revokedAt: { not: null } },
  })
  if (rejected && job.status !== 'withdrawn')
    checks.push({
      check: 'rejected before',
      ok: true,
      review: true,
      detail:
        `a ggml certification engineer revoked ${rejected} earlier badge(s) of this product: ` +
        'a new one waits for review',
    })
  // A partner's own model: the platform holds no copy, so it recomputes neither a proof nor a
  // challenge; the result stays private until ggml's lab runner measures the model itself.
  if (job.modelShape === PARTNER_MODEL)
    checks.push(
      registered?.lab
        ? {
            check: 'model provenance',
            ok: true,
            detail: 'ggml’s lab runner measured the partner’s model in ggml’s lab',
          }
        : {
            check: 'model provenance',
            ok: true,
            review: true,
            detail:
              'a partner’s own model: the platform holds no copy, so it could recompute neither the proof of ' +
              'execution nor a timed challenge; the result stays private until ggml’s lab runner measures it',
          },
    )
  // Physical bounds from the platform's figures (the catalogue, the registered fingerprint, the
  // platform's tensor table): what no hardware can do is refused, and the efficiency is stated.
  if (pp || tg) {
    const workload = synthesized
      ? await knownWorkload(synthesized.shape, synthesized.type)
      : (declared?.workload ?? declaredWorkload(modelBytes))
    const ran = String((tg ?? pp)!.backends ?? 'CPU')
    for (const c of physicalBoundChecks({
      workload,
      partnerDeclared: job.modelShape === PARTNER_MODEL,
      registered: fingerprint,
      backend: ran,
      pp: pp && { n: job.nPrompt, ts: meanOf(pp.samples_ts) },
      tg: tg && { n: job.nGen, ts: meanOf(tg.samples_ts) },
    }))
      checks.push(c)
  }
  // A fast backend that computes the wrong thing fails here; the verdict is recomputed from the
  // signed numbers, never taken from the runner.
  if (r.correctness) {
    const verdict = compareLogits(r.correctness)
    add('correctness', verdict.ok, verdict.detail)
  } else {
    add('correctness', false, 'no next-token logits compared with the CPU reference in the result')
  }
  // Proof of speed (decision 019): a challenge the platform timed itself, sized for at least the
  // speeds claimed. A partner's model is not challenged (no copy to recompute the answer with).
  if (job.modelShape !== PARTNER_MODEL && pp && tg) {
    const challenges = await unscopedDb('token').certChallenge.findMany({
      where: { jobId: job.id, runnerId: runner.id },
      orderBy: { attempt: 'asc' },
    })
    const timed = timedChallengeCheck(challenges, { pp: meanOf(pp.samples_ts), tg: meanOf(tg.samples_ts) })
    checks.push(...timed.checks)
  }
  // A synthesized model's proof of execution is recomputed by the platform's worker: until then
  // the result is held and its job is "verifying"; a partner's model is one the platform holds no
  // copy of, so its proof is kept but not recomputed (and its badge says the model is partner-declared).
  if (!r.proof && job.modelShape !== PARTNER_MODEL)
    add('execution', false, 'no proof of execution in the result: run the current runner')
  const accepted = checks.every((c) => c.ok)
  const verifying = accepted && job.modelShape !== PARTNER_MODEL
  return unscopedDb('token').$transaction(async (tx) => {
    const resultId = newId()
    await tx.certResult.create({
      data: {
        id: resultId,
        jobId: job.id,
        organizationId: job.organizationId,
        runnerId: runner.id,
        payload: toJsonColumn(body.result),
        signature: body.signature,
        checks,
        accepted: accepted && !verifying,
      },
    })
    if (verifying) {
      await tx.certJob.updateMany({
        where: { id: job.id, status: 'running' },
        data: { status: 'verifying', progress: VERIFYING },
      })
      await enqueueJob(tx, 'certification.verify-execution', { resultId })
      return { resultId, accepted: false, verifying: true, checks, badgeId: null }
    }
    const { badgeId } = await settleResult(tx, { job, resultId, runnerId: runner.id, payload: body.result, checks })
    return { resultId, accepted, verifying: false, checks, badgeId }
  })
}

export const VERIFYING =
  'checking the proof of execution and the timed challenge’s answer: the platform re-runs both on llama.cpp’s ' +
  'CPU backend'
