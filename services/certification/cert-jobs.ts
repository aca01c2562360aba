import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import { compareLogits } from '../../certification-lab/benchmark/logits-check.ts'
import { verifyPayload } from '../../certification-lab/signing.ts'
import { recordAuditEvent } from '../audit/record-audit-event.ts'
import { db } from '../db/client.ts'
import { newId } from '../db/ids.ts'
import { AppError } from '../errors/app-error.ts'
import type { TenantScope } from '../tenancy/tenant-guard.ts'
import { expectedModelSha256, modelShapes, PARTNER_MODEL, weightTypes, type ModelShapeName } from './known-models.ts'
import { appendToPublicLog, payloadSha256, withdrawalCheck } from './public-log.ts'
import { checkRequestFiles, storeRequestFiles, type RequestFileKind, type UploadedFile } from './request-files.ts'
import type { WeightType } from '../../certification-lab/synthesize-model.ts'
import { now, nowMs } from '../platform/clock.ts'

export const LEASE_MS = 60_000
/** Largest coefficient of variation accepted across repetitions (CERT_MAX_CV overrides, e.g. on noisy CI machines). */
export const maxCv = () => Number(process.env.CERT_MAX_CV ?? 0.1)

const sha256Hex = /^[0-9a-f]{64}$/
/** What a runner says it holds when it claims: the SHA-256 of each partner model file it was started with. */
export const heldModelsSchema = z.array(z.string().regex(sha256Hex)).max(64)

export const requestSchema = z
  .object({
    productName: z.string().trim().min(2, 'Name the hardware product.').max(120),
    sku: z.string().trim().min(1, 'Enter the SKU.').max(80),
    modelShape: z.enum([PARTNER_MODEL, ...modelShapes]).default('tiny'),
    modelType: z.enum(weightTypes as [WeightType, ...WeightType[]]).default('Q4_0'),
    /** With modelShape "partner": what the model is (shown on the badge) and the SHA-256 of its GGUF file. */
    ownModelName: z.string().trim().max(80).optional(),
    ownModelSha256: z.string().trim().toLowerCase().optional(),
    nPrompt: z.coerce.number().int().min(16).max(4096).default(512),
    nGen: z.coerce.number().int().min(8).max(1024).default(128),
    repetitions: z.coerce.number().int().min(2).max(50).default(5),
    /** The runner to run it; empty or absent: whichever of the organization's runners polls first. */
    runnerId: z
      .string()
      .trim()
      .optional()
      .transform((v) => v || undefined),
  })
  .superRefine((r, ctx) => {
    if (r.modelShape !== PARTNER_MODEL) return
    if (!r.ownModelName || r.ownModelName.length < 2)
      ctx.addIssue({
        code: 'custom',
        path: ['ownModelName'],
        message: 'Name your model as the badge should show it, e.g. “Llama-3.2-1B-Instruct Q4_K_M”.',
      })
    if (!r.ownModelSha256 || !sha256Hex.test(r.ownModelSha256))
      ctx.addIssue({
        code: 'custom',
        path: ['ownModelSha256'],
        message: 'Enter the SHA-256 of your GGUF file: 64 hex digits (sha256sum model.gguf).',
      })
  })

export type CertificationRequestInput = z.input<typeof requestSchema>

/**
 * The model a job runs: synthesized from shape, type and seed (the platform knows its hash), or the partner's own file.
 */
async function jobModel(r: z.output<typeof requestSchema>, seed: number) {
  if (r.modelShape === PARTNER_MODEL)
    return {
      modelShape: PARTNER_MODEL,
      modelType: r.ownModelName!,
      modelSeed: 0,
      expectedModelSha256: r.ownModelSha256!,
    }
  return {
    modelShape: r.modelShape,
    modelType: r.modelType,
    modelSeed: seed,
    expectedModelSha256: await expectedModelSha256(r.modelShape as ModelShapeName, r.modelType, seed),
  }
}

const actorRef = (s: TenantScope) => ({ userId: s.actor.userId, email: s.actor.email })

/**
 * A hardware product to certify (with its photo and spec sheet), its first benchmark job queued. Scope:
 * certification.view.
 */
export async function requestCertification(
  scope: TenantScope,
  input: z.input<typeof requestSchema>,
  files: Partial<Record<RequestFileKind, UploadedFile>> = {},
) {
  const r = requestSchema.parse(input)
  const attachments = checkRequestFiles(files)
  const model = await jobModel(r, 20_261_126)
  return scope.db.$transaction(async (tx) => {
    await assertOwnRunner(tx, r.runnerId)
    const requestId = newId()
    await tx.certRequest.create({
      data: {
        id: requestId,
        organizationId: scope.organization.id,
        productName: r.productName,
        sku: r.sku,
        createdById: scope.actor.userId,
      },
    })
    await storeRequestFiles(tx, scope.organization.id, requestId, attachments)
    const jobId = newId()
    await tx.certJob.create({
      data: {
        id: jobId,
        organizationId: scope.organization.id,
        requestId,
        status: 'queued',
        nonce: newNonce(),
        ...model,
        nPrompt: r.nPrompt,
        nGen: r.nGen,
        repetitions: r.repetitions,
        assignedRunnerId: r.runnerId ?? null,
        queuedById: scope.actor.userId,
      },
    })
    await recordAuditEvent(tx, {
      actor: actorRef(scope),
      organizationId: scope.organization.id,
      action: 'cert_request.create',
      targetType: 'cert_request',
      targetId: requestId,
      changes: { productName: r.productName, sku: r.sku, jobId, runnerId: r.runnerId ?? null },
    })
    return { requestId, jobId }
  })
}

export const queueJobSchema = z.object({
  runnerId: z
    .string()
    .trim()
    .optional()
    .transform((v) => v || undefined),
})

/**
 * Another run of a product already requested (the same model and tests, a fresh nonce), on a
 * chosen runner or any: how a partner measures a second unit and how a certification engineer
 * gets the reproduction a reviewed badge needs. The scope is the product's organization, whoever
 * asks (a partner's own, or an engineer's for that partner).
 */
export async function queueCertJob(scope: TenantScope, requestId: string, input: z.input<typeof queueJobSchema>) {
  const { runnerId } = queueJobSchema.parse(input)
  return scope.db.$transaction(async (tx) => {
    const request = await tx.certRequest.findFirst({ where: { id: requestId } })
    if (!request) throw new AppError('not_found', 'No such certification request.')
    if (request.withdrawnAt)
      throw new AppError('conflict', 'This request was withdrawn: request the product again to certify it.')
    await assertOwnRunner(tx, runnerId)
    const first = await tx.certJob.findFirstOrThrow({ where: { requestId }, orderBy: { createdAt: 'asc' } })
    const jobId = newId()
    await tx.certJob.create({
      data: {
        id: jobId,
        organizationId: request.organizationId,
        requestId,
        status: 'queued',
        nonce: newNonce(),
        modelShape: first.modelShape,
        modelType: first.modelType,
        modelSeed: first.modelSeed,
        expectedModelSha256: first.expectedModelSha256,
        nPrompt: first.nPrompt,
        nGen: first.nGen,
        repetitions: first.repetitions,
        assignedRunnerId: runnerId ?? null,
        queuedById: scope.actor.userId,
      },
    })
    await recordAuditEvent(tx, {
      actor: actorRef(scope),
      organizationId: request.organizationId,
      action: 'cert_job.queue',
      targetType: 'cert_job',
      targetId: jobId,
      changes: { requestId, runnerId: runnerId ?? null },
    })
    return { jobId }
  })
}

/** A chosen runner must be one of the organization's, not revoked (the scoped client sees no other). */
async function assertOwnRunner(tx: Pick<TenantScope['db'], 'certRunner'>, runnerId: string | undefined) {
  if (runnerId === undefined) return
  const runner = await tx.certRunner.findFirst({ where: { id: runnerId, revokedAt: null } })
  if (!runner)
    throw new AppError('invalid_input', 'Choose one of your registered runners, or any runner.', {
      runnerId: ['Choose one of your registered runners, or any runner.'],
    })
}

const newNonce = () => randomBytes(24).toString('base64url')

export const withdrawSchema = z.object({
  reason: z.string().trim().min(3, 'Say why you withdraw the request: the public log shows it.').max(300),
})

/**
 * The partner withdraws a product from certification: unfinished jobs stop, badges in force are
 * revoked, and every result already submitted is logged again as withdrawn, so a withdrawal cannot
 * quietly hide a run. Scope: certification.view (who may request may withdraw).
 */
export async function withdrawCertRequest(
  scope: TenantScope,
  requestId: string,
  input: z.input<typeof withdrawSchema>,
) {
  const { reason } = withdrawSchema.parse(input)
  return scope.db.$transaction(async (tx) => {
    const request = await tx.certRequest.findFirst({ where: { id: requestId } })
    if (!request) throw new AppError('not_found', 'No such certification request.')
    if (request.withdrawnAt) throw new AppError('conflict', 'This request was already withdrawn.')
    const at = now()
    await tx.certRequest.update({ where: { id: request.id }, data: { withdrawnAt: at, withdrawalReason: reason } })
    const stopped = await tx.certJob.updateMany({
      where: { requestId: request.id, status: { in: ['queued', 'running'] } },
      data: { status: 'withdrawn', progress: 'withdrawn by the partner', leaseExpiresAt: null },
    })
    const revoked = await tx.certBadge.updateMany({
      where: { requestId: request.id, revokedAt: null },
      data: { revokedAt: at },
    })
    const jobs = await tx.certJob.findMany({ where: { requestId: request.id }, select: { id: true } })
    const results = await tx.certResult.findMany({
      where: { jobId: { in: jobs.map((j) => j.id) } },
      orderBy: { createdAt: 'asc' },
    })
    for (const r of results) {
      await appendToPublicLog(tx, {
        partner: scope.organization.name,
        product: `${request.productName} (${request.sku})`,
        jobId: r.jobId,
        resultId: r.id,
        accepted: false,
        failedChecks: [withdrawalCheck(reason)],
        payloadSha256: payloadSha256(r.payload),
      })
    }
    await recordAuditEvent(tx, {
      actor: actorRef(scope),
      organizationId: scope.organization.id,
      action: 'cert_request.withdraw',
      targetType: 'cert_request',
      targetId: request.id,
      changes: { reason, jobsStopped: stopped.count, badgesRevoked: revoked.count, resultsLogged: results.length },
    })
    return { jobsStopped: stopped.count, badgesRevoked: revoked.count, resultsLogged: results.length }
  })
}

export interface ClaimedJob {
  id: string
  nonce: string
  model: { shape: string; type: string; seed: number; sha256: string }
  nPrompt: number
  nGen: number
  repetitions: number
  leaseExpiresAt: string
}

/**
 * Gives the runner the oldest job of its organization, for it or for any runner, that is queued or
 * whose lease lapsed (its runner vanished), under a fresh lease. A job on a partner's own model
 * goes only to a runner that holds that file (it sends the SHA-256 of each it was given).
 * SKIP LOCKED: runners never get the same job at once.
 */
export async function claimJob(
  runner: { id: string; organizationId: string },
  held: z.output<typeof heldModelsSchema> = [],
): Promise<ClaimedJob | null> {
  return db().$transaction(async (tx) => {
    const [job] = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM "CertJob" WHERE "organizationId" = ${runner.organizationId}
        AND ("assignedRunnerId" IS NULL OR "assignedRunnerId" = ${runner.id})
        AND ("modelShape" <> ${PARTNER_MODEL} OR "expectedModelSha256" = ANY(${held}::text[]))
        AND (status = 'queued' OR (status = 'running' AND "leaseExpiresAt" < now()))
      ORDER BY "createdAt" LIMIT 1 FOR UPDATE SKIP LOCKED`
    if (!job) return null
    const leaseExpiresAt = new Date(nowMs() + LEASE_MS)
    const j = await tx.certJob.update({
      where: { id: job.id },
      data: {
        status: 'running',
        claimedByRunnerId: runner.id,
        leaseExpiresAt,
        attempts: { increment: 1 },
        progress: 'claimed',
      },
    })
    return {
      id: j.id,
      nonce: j.nonce,
      model: { shape: j.modelShape, type: j.modelType, seed: j.modelSeed, sha256: j.expectedModelSha256 },
      nPrompt: j.nPrompt,
      nGen: j.nGen,
      repetitions: j.repetitions,
      leaseExpiresAt: leaseExpiresAt.toISOString(),
    }
  })
}

/** The runner is alive and says how far it got; the lease is renewed. */
export async function heartbeat(runner: { id: string }, jobId: string, progress: string) {
  const renewed = await db().certJob.updateMany({
    where: { id: jobId, claimedByRunnerId: runner.id, status: 'running' },
    data: { leaseExpiresAt: new Date(nowMs() + LEASE_MS), progress: progress.slice(0, 200) },
  })
  if (!renewed.count) {
    const job = await db().certJob.findUnique({ where: { id: jobId }, select: { status: true } })
    throw new AppError(
      'conflict',
      job?.status === 'withdrawn'
        ? 'The partner withdrew this job: stop and claim the next one.'
        : 'This job is no longer yours: its lease lapsed and it went back to the queue.',
    )
  }
  return { leaseExpiresAt: new Date(nowMs() + LEASE_MS).toISOString() }
}

const recordSchema = z
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
  model: z.object({ shape: z.string(), type: z.string(), seed: z.number(), sha256: z.string(), bytes: z.number() }),
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
  createdAt: z.string(),
})

export interface Check {
  check: string
  ok: boolean
  detail: string
}

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
  const job = await db().certJob.findUnique({ where: { id: jobId } })
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
  else
    add(
      'job',
      r.jobId === job.id && r.runnerId === runner.id && job.claimedByRunnerId === runner.id,
      'for this job, by the runner that claimed it',
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
  const pp = r.records.find((x) => x.n_prompt === job.nPrompt && x.n_gen === 0)
  const tg = r.records.find((x) => x.n_prompt === 0 && x.n_gen === job.nGen)
  add(
    'measurements',
    Boolean(pp && tg && pp.samples_ts.length >= job.repetitions && tg.samples_ts.length >= job.repetitions),
    `pp${job.nPrompt} and tg${job.nGen}, ${job.repetitions} repetitions each`,
  )
  for (const x of [pp, tg].filter(Boolean)) {
    const mean = x!.samples_ts.reduce((a, b) => a + b, 0) / x!.samples_ts.length
    const cv = x!.stddev_ts / x!.avg_ts
    add(
      `spread ${x!.n_prompt ? `pp${x!.n_prompt}` : `tg${x!.n_gen}`}`,
      Math.abs(mean - x!.avg_ts) / x!.avg_ts < 1e-6 && cv <= maxCv(),
      `avg_ts is the mean of samples_ts; coefficient of variation ` +
        `${(cv * 100).toFixed(1)}% (at most ${maxCv() * 100}%)`,
    )
  }
  // The roofline: a token reads every weight, so tg cannot beat bandwidth / model bytes. Only
  // meaningful when the model is well beyond the caches; above the bound is impossible, far below
  // it is shown (a slow backend is allowed, a fabricated one is not).
  if (tg && r.bandwidth) {
    const bound = r.bandwidth.bytesPerSecond / r.model.bytes
    if (r.model.bytes >= 2 * r.bandwidth.lastLevelCacheBytes) {
      const efficiency = tg.avg_ts / bound
      add(
        'roofline',
        efficiency <= 1,
        `tg${job.nGen} ${tg.avg_ts.toFixed(1)} t/s is ${(efficiency * 100).toFixed(0)}% of the bandwidth ` +
          `bound ${bound.toFixed(1)} t/s` +
          (efficiency > 1
            ? ': faster than memory allows'
            : efficiency < 0.1
              ? ' (far below it: flagged for review)'
              : ''),
      )
    } else {
      add('roofline', true, `not applicable: the ${Math.round(r.model.bytes / 2 ** 20)} MiB model fits in the caches`)
    }
  } else if (tg) {
    add('roofline', false, 'no bandwidth measurement in the result')
  }
  // A fast backend that computes the wrong thing fails here; the verdict is recomputed from the
  // signed numbers, never taken from the runner.
  if (r.correctness) {
    const verdict = compareLogits(r.correctness)
    add('correctness', verdict.ok, verdict.detail)
  } else {
    add('correctness', false, 'no next-token logits compared with the CPU reference in the result')
  }
  const accepted = checks.every((c) => c.ok)
  return db().$transaction(async (tx) => {
    const resultId = newId()
    await tx.certResult.create({
      data: {
        id: resultId,
        jobId: job.id,
        organizationId: job.organizationId,
        runnerId: runner.id,
        payload: body.result as object,
        signature: body.signature,
        checks: checks as object[],
        accepted,
      },
    })
    let badgeId: string | null = null
    if (accepted) {
      const moved = await tx.certJob.updateMany({
        where: { id: job.id, status: { not: 'completed' } },
        data: { status: 'completed', progress: 'result accepted' },
      })
      // A further run of a product that holds a badge (a second unit, a reproduction) is kept as
      // evidence for review; it does not issue a second badge for the same product.
      const inForce = await tx.certBadge.count({ where: { requestId: job.requestId, revokedAt: null } })
      if (moved.count === 1 && inForce === 0) {
        badgeId = newId()
        await tx.certBadge.create({
          data: {
            id: badgeId,
            organizationId: job.organizationId,
            requestId: job.requestId,
            resultId,
            assurance: 'runner-verified',
            summary: {
              shape: r.model.shape,
              type: r.model.type,
              pp: { n: job.nPrompt, ts: pp!.avg_ts, sd: pp!.stddev_ts },
              tg: { n: job.nGen, ts: tg!.avg_ts, sd: tg!.stddev_ts },
              cpu: (r.hardware.cpu as { model?: string } | undefined)?.model ?? '',
              backends: (r.hardware.backends as string[] | undefined) ?? [],
            },
          },
        })
      }
    } else {
      await tx.certJob.update({
        where: { id: job.id },
        data: {
          progress: `result rejected: ${checks
            .filter((c) => !c.ok)
            .map((c) => c.check)
            .join(', ')}`,
        },
      })
    }
    const [org, request] = await Promise.all([
      tx.organization.findUniqueOrThrow({ where: { id: job.organizationId } }),
      tx.certRequest.findUniqueOrThrow({ where: { id: job.requestId } }),
    ])
    await appendToPublicLog(tx, {
      partner: org.name,
      product: `${request.productName} (${request.sku})`,
      jobId: job.id,
      resultId,
      accepted,
      failedChecks: checks.filter((c) => !c.ok).map((c) => c.check),
      payloadSha256: payloadSha256(body.result),
    })
    await recordAuditEvent(tx, {
      actor: null,
      organizationId: job.organizationId,
      action: accepted ? 'cert_result.accept' : 'cert_result.reject',
      targetType: 'cert_result',
      targetId: resultId,
      changes: { jobId: job.id, runnerId: runner.id, failed: checks.filter((c) => !c.ok).map((c) => c.check) },
    })
    return { resultId, accepted, checks, badgeId }
  })
}
