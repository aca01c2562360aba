import { z } from 'zod'
import type { RunConfiguration } from '../../certification-lab/benchmark/llama-bench.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { now, nowMs } from '../platform/clock.ts'
import { heldModelsSchema, LEASE_MS } from './job-specification.ts'
import { expectedModel, PARTNER_MODEL } from './known-models.ts'
import { synthesizedModel, readRunConfiguration } from './stored-certification.ts'

export interface ClaimedJob {
  id: string
  nonce: string
  /** bytes: the synthesized model's size as the platform knows it (a partner's own file: its runner's). */
  model: { shape: string; type: string; seed: number; sha256: string; bytes?: number }
  nPrompt: number
  nGen: number
  repetitions: number
  configuration: RunConfiguration
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
  const j = await unscopedDb('token').$transaction(async (tx) => {
    const [job] = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM "CertJob" WHERE "organizationId" = ${runner.organizationId}
        AND ("assignedRunnerId" IS NULL OR "assignedRunnerId" = ${runner.id})
        AND ("modelShape" <> ${PARTNER_MODEL} OR "expectedModelSha256" = ANY(${held}::text[]))
        AND (status = 'queued' OR (status = 'running' AND "leaseExpiresAt" < ${now()}))
      ORDER BY "createdAt" LIMIT 1 FOR UPDATE SKIP LOCKED`
    if (!job) return null
    return tx.certJob.update({
      where: { id: job.id },
      data: {
        status: 'running',
        claimedByRunnerId: runner.id,
        leaseExpiresAt: new Date(nowMs() + LEASE_MS),
        attempts: { increment: 1 },
        progress: 'claimed',
      },
    })
  })
  if (!j) return null
  // The model's size, outside the claim's row lock: after a restart it may read the whole file once.
  const synthesized = j.modelShape === PARTNER_MODEL ? undefined : synthesizedModel(j)
  const bytes = synthesized && (await expectedModel(synthesized.shape, synthesized.type, j.modelSeed)).bytes
  return {
    id: j.id,
    nonce: j.nonce,
    model: {
      shape: j.modelShape,
      type: j.modelType,
      seed: j.modelSeed,
      sha256: j.expectedModelSha256,
      ...(bytes !== undefined && { bytes }),
    },
    nPrompt: j.nPrompt,
    nGen: j.nGen,
    repetitions: j.repetitions,
    configuration: readRunConfiguration(j.configuration),
    leaseExpiresAt: j.leaseExpiresAt!.toISOString(),
  }
}
