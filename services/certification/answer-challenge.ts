import {
  challengeAllowance,
  challengeAnswerSchema,
  type ChallengeKind,
} from '../../certification-lab/benchmark/challenge.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { challengeJob } from './challenge-job.ts'

/**
 * The last step: the answer, stamped on arrival. The runner learns at once whether it came in time
 * (so it may try again while attempts are left); whether it is right, the worker decides later on
 * its own copy of the model.
 */
export async function answerChallenge(
  runner: { id: string; organizationId: string },
  jobId: string,
  id: string,
  body: unknown,
) {
  const answer = challengeAnswerSchema.safeParse(body)
  if (!answer.success)
    throw new AppError(
      'invalid_input',
      'Send the answer: {"generated": [token ids], "final": {"tokens": [...], "logprobs": [...]}}.',
    )
  await challengeJob(runner, jobId)
  const [row] = await unscopedDb('token').$queryRaw<
    {
      kind: ChallengeKind
      claimedPp: number
      claimedTg: number
      nPrompt: number
      nGen: number
      rounds: number
      roundTripMs: number
      elapsedMs: number
    }[]
  >`
    UPDATE "CertChallenge" SET "answeredAt" = clock_timestamp(), answer = ${JSON.stringify(answer.data)}::jsonb,
      "elapsedMs" = ROUND(EXTRACT(EPOCH FROM clock_timestamp() - "startedAt") * 1000)::int
    WHERE id = ${id} AND "jobId" = ${jobId} AND "runnerId" = ${runner.id}
      AND "startedAt" IS NOT NULL AND "answeredAt" IS NULL
    RETURNING kind, "claimedPp", "claimedTg", "nPrompt", "nGen", rounds, "roundTripMs", "elapsedMs"`
  if (!row) throw new AppError('conflict', 'No such challenge started and unanswered: ask for a new one.')
  const allowance = challengeAllowance(row.kind, { pp: row.claimedPp, tg: row.claimedTg }, row, row.roundTripMs)
  return {
    elapsedMs: row.elapsedMs,
    claimedMs: Math.round(allowance.claimedMs),
    allowedMs: Math.round(allowance.allowedMs),
    inTime: row.elapsedMs <= allowance.allowedMs,
  }
}
