import os from 'node:os'
import { executionProofSchema, judgeProof, nextTokenDistributions } from '../../certification-lab/benchmark/proof.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { expectedModel, knownModelPath } from './known-models.ts'
import { settleResult } from './settle-result.ts'
import {
  challengeAnswerSchema,
  challengeReference,
  judgeChallengeAnswer,
} from '../../certification-lab/benchmark/challenge.ts'
import { timedChallengeCheck } from './challenge-check.ts'
import { mean } from '../../certification-lab/benchmark/llama-bench.ts'
import { readPayload, readChecks, synthesizedModel } from './stored-certification.ts'

/**
 * The worker's half of proof of execution: evaluates the prompt the job's nonce seeds, and the
 * runner's generated tokens, with llama.cpp's CPU backend on the platform's own copy of the model,
 * and settles the held result by the comparison. Idempotent: a job no longer "verifying" (settled
 * by an earlier attempt, or withdrawn meanwhile) is left as it is.
 */
export async function verifyExecution(resultId: string): Promise<'accepted' | 'rejected' | 'skipped'> {
  const result = await unscopedDb('platform job').certResult.findUnique({
    where: { id: resultId },
    include: { job: true },
  })
  if (!result || result.job.status !== 'verifying') return 'skipped'
  const { job } = result
  const proof = executionProofSchema.safeParse(readPayload(result.payload).proof)
  let verdict: { ok: boolean; detail: string }
  if (!proof.success) verdict = { ok: false, detail: 'the proof of execution is malformed' }
  else {
    const { shape, type } = synthesizedModel(job)
    await expectedModel(shape, type, job.modelSeed) // synthesizes the platform's copy if this machine lacks it
    const reference = await nextTokenDistributions({
      modelPath: knownModelPath(shape, type, job.modelSeed),
      threads: Math.max(1, os.availableParallelism()),
      nonce: job.nonce,
      continuation: proof.data.generated,
    })
    verdict = judgeProof(proof.data, reference.prompt, reference.steps)
  }
  const answered = await challengeVerdict(result, job)
  return unscopedDb('platform job').$transaction(async (tx) => {
    // The job row is the gate: one settlement, whatever retries or withdrawals race with it.
    const [locked] = await tx.$queryRaw<{ status: string }[]>`
      SELECT status::text FROM "CertJob" WHERE id = ${job.id} FOR UPDATE`
    if (locked?.status !== 'verifying') return 'skipped' as const
    const checks = [
      ...readChecks(result.checks),
      { check: 'execution', ...verdict },
      ...(answered ? [{ check: 'challenge answer', ...answered }] : []),
    ]
    const accepted = checks.every((c) => c.ok)
    await tx.certResult.update({ where: { id: resultId }, data: { checks, accepted } })
    await settleResult(tx, { job, resultId, runnerId: result.runnerId, payload: result.payload, checks })
    return accepted ? ('accepted' as const) : ('rejected' as const)
  })
}

/**
 * The timed challenge the upload accepted, recomputed on the platform's copy of the model: a fast
 * answer that is not the model's fails here. Null when the result went without one (held by no
 * timed check: a result from before decision 019).
 */
async function challengeVerdict(
  result: { runnerId: string; payload: unknown; checks: unknown },
  job: { id: string; nPrompt: number; nGen: number; modelShape: string; modelType: string; modelSeed: number },
): Promise<{ ok: boolean; detail: string } | null> {
  if (!readChecks(result.checks).some((c) => c.check === 'timed challenge')) return null
  const records = readPayload(result.payload).records ?? []
  const pp = records.find((x) => x.n_prompt === job.nPrompt && x.n_gen === 0)!
  const tg = records.find((x) => x.n_prompt === 0 && x.n_gen === job.nGen)!
  const challenges = await unscopedDb('platform job').certChallenge.findMany({
    where: { jobId: job.id, runnerId: result.runnerId },
    orderBy: { attempt: 'asc' },
  })
  const { chosen } = timedChallengeCheck(challenges, { pp: mean(pp.samples_ts), tg: mean(tg.samples_ts) })
  if (chosen.length !== 2) return { ok: false, detail: 'the timed challenges’ answers are missing' }
  const { shape, type } = synthesizedModel(job)
  await expectedModel(shape, type, job.modelSeed)
  const details: string[] = []
  for (const row of chosen) {
    const answer = challengeAnswerSchema.safeParse(row.answer)
    if (!answer.success) return { ok: false, detail: `the ${row.kind} challenge’s answer is malformed` }
    const reference = await challengeReference({
      modelPath: knownModelPath(shape, type, job.modelSeed),
      threads: Math.max(1, os.availableParallelism()),
      nonce: row.nonce,
      nPrompt: row.nPrompt,
      rounds: answer.data.rounds.slice(0, row.rounds).map((r) => r.slice(0, row.nGen)),
    })
    const verdict = judgeChallengeAnswer(answer.data, row, reference.rounds)
    if (!verdict.ok) return { ok: false, detail: `${row.kind} challenge: ${verdict.detail}` }
    details.push(`${row.kind} challenge: ${verdict.detail}`)
  }
  return { ok: true, detail: details.join('; ') }
}
