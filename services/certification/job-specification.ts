import { env } from '../config/env.ts'
import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import { AppError } from '../errors/app-error.ts'
import type { TenantScope } from '../tenancy/tenant-guard.ts'
import { expectedModelSha256, PARTNER_MODEL, type ModelShapeName } from './known-models.ts'
import { requestSchema } from './request-certification.ts'

export const LEASE_MS = 60_000
/** Largest coefficient of variation accepted across repetitions (CERT_MAX_CV overrides, e.g. on noisy CI machines). */
export const maxCv = () => env().CERT_MAX_CV

export const sha256Hex = /^[0-9a-f]{64}$/
/** What a runner says it holds when it claims: the SHA-256 of each partner model file it was started with. */
export const heldModelsSchema = z.array(z.string().regex(sha256Hex)).max(64)

/**
 * The model a job runs: synthesized from shape, type and seed (the platform knows its hash), or the partner's own file.
 */
export async function jobModel(r: z.output<typeof requestSchema>, seed: number) {
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
