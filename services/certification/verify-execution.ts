import os from 'node:os'
import { executionProofSchema, judgeProof, nextTokenDistributions } from '../../certification-lab/benchmark/proof.ts'
import type { WeightType } from '../../certification-lab/synthesize-model.ts'
import { db } from '../db/client.ts'
import { expectedModel, knownModelPath, type ModelShapeName } from './known-models.ts'
import { settleResult } from './settle-result.ts'

type Check = { check: string; ok: boolean; detail: string }

/**
 * The worker's half of proof of execution: evaluates the prompt the job's nonce seeds, and the
 * runner's generated tokens, with llama.cpp's CPU backend on the platform's own copy of the model,
 * and settles the held result by the comparison. Idempotent: a job no longer "verifying" (settled
 * by an earlier attempt, or withdrawn meanwhile) is left as it is.
 */
export async function verifyExecution(resultId: string): Promise<'accepted' | 'rejected' | 'skipped'> {
  const result = await db().certResult.findUnique({ where: { id: resultId }, include: { job: true } })
  if (!result || result.job.status !== 'verifying') return 'skipped'
  const { job } = result
  const payload = result.payload as { proof?: unknown }
  const proof = executionProofSchema.safeParse(payload.proof)
  let verdict: { ok: boolean; detail: string }
  if (!proof.success) verdict = { ok: false, detail: 'the proof of execution is malformed' }
  else {
    const shape = job.modelShape as ModelShapeName
    const type = job.modelType as WeightType
    await expectedModel(shape, type, job.modelSeed) // synthesizes the platform's copy if this machine lacks it
    const reference = await nextTokenDistributions({
      modelPath: knownModelPath(shape, type, job.modelSeed),
      threads: Math.max(1, os.availableParallelism()),
      nonce: job.nonce,
      continuation: proof.data.generated,
    })
    verdict = judgeProof(proof.data, reference.prompt, reference.steps)
  }
  return db().$transaction(async (tx) => {
    // The job row is the gate: one settlement, whatever retries or withdrawals race with it.
    const [locked] = await tx.$queryRaw<{ status: string }[]>`
      SELECT status::text FROM "CertJob" WHERE id = ${job.id} FOR UPDATE`
    if (locked?.status !== 'verifying') return 'skipped' as const
    const checks = [...(result.checks as Check[]), { check: 'execution', ...verdict }]
    await tx.certResult.update({ where: { id: resultId }, data: { checks, accepted: verdict.ok } })
    await settleResult(tx, { job, resultId, runnerId: result.runnerId, payload: result.payload, checks })
    return verdict.ok ? ('accepted' as const) : ('rejected' as const)
  })
}
