import { env } from '../platform/config/env.ts'
import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import { AppError } from '../platform/errors/app-error.ts'
import type { TenantScope } from '../tenancy/tenant-guard.ts'
import { knownModel, PARTNER_MODEL } from './known-models.ts'
import { enqueueJob } from '../platform/jobs/enqueue-job.ts'
import type { Tx } from '../platform/db/client.ts'
import type { requestSchema } from './request-certification.ts'
import { declarePartnerModel } from './declare-partner-model.ts'
import { toJsonColumn } from '../platform/db/json-column.ts'

export const LEASE_MS = 60_000
/** Largest coefficient of variation accepted across repetitions (CERT_MAX_CV overrides, e.g. on noisy CI machines). */
export const maxCv = () => env().CERT_MAX_CV

export const sha256Hex = /^[0-9a-f]{64}$/
/** What a runner says it holds when it claims: the SHA-256 of each partner model file it was started with. */
export const heldModelsSchema = z.array(z.string().regex(sha256Hex)).max(64)

/** The seed of every synthesized model: one synthesis per shape and type serves every job. */
export const MODEL_SEED = 20261126

/**
 * The model a job runs: synthesized from shape, type and seed, or the partner's own file. A
 * synthesized model the platform has not made yet leaves the job "preparing" (empty hash) until the
 * worker's prepare-model has synthesized it; the request itself never synthesizes.
 */
export async function jobModel(r: z.output<typeof requestSchema>, seed = MODEL_SEED) {
  if (r.modelShape === PARTNER_MODEL) {
    const declared = declarePartnerModel(r.ownModelHeader!, r.ownModelSha256!)
    if (!declared.ok) throw new AppError('invalid_input', declared.message, { ownModelHeader: [declared.message] })
    return {
      modelShape: PARTNER_MODEL,
      modelType: r.ownModelName!,
      modelSeed: 0,
      expectedModelSha256: r.ownModelSha256!,
      declaredModel: toJsonColumn(declared.model),
    }
  }
  const known = await knownModel(r.modelShape, r.modelType, seed)
  return {
    modelShape: r.modelShape,
    modelType: r.modelType,
    modelSeed: seed,
    expectedModelSha256: known?.sha256 ?? '',
  }
}

/** The status a new job starts in, and the job that makes its model when the platform lacks it. */
export async function startJob(
  tx: Pick<Tx, 'outboxMessage'>,
  model: { modelShape: string; modelType: string; modelSeed: number; expectedModelSha256: string },
): Promise<'queued' | 'preparing'> {
  if (model.expectedModelSha256) return 'queued'
  await enqueueJob(tx, 'certification.prepare-model', {
    shape: model.modelShape,
    type: model.modelType,
    seed: model.modelSeed,
  })
  return 'preparing'
}

/** A chosen runner must be one of the organization's, not revoked (the scoped client sees no other). */
export async function assertOwnRunner(tx: Pick<TenantScope['db'], 'certRunner'>, runnerId: string | undefined) {
  if (runnerId === undefined) return
  const runner = await tx.certRunner.findFirst({ where: { id: runnerId, revokedAt: null } })
  if (!runner)
    throw new AppError('invalid_input', 'Choose one of your registered runners, or any runner.', {
      runnerId: ['Choose one of your registered runners, or any runner.'],
    })
}

export const newNonce = () => randomBytes(24).toString('base64url')
