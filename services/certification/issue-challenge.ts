import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import {
  CHALLENGE_ATTEMPTS,
  CHALLENGE_K,
  CHALLENGE_KINDS,
  challengeSize,
} from '../../certification-lab/benchmark/challenge.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { newId } from '../platform/db/ids.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { challengeJob } from './challenge-job.ts'
import { PARTNER_MODEL } from './known-models.ts'

/** Tokens per second no device reaches on any model the platform certifies: a claim above is refused. */
const speed = z.number().positive().finite().max(1e7)
export const challengeClaimSchema = z.object({ kind: z.enum(CHALLENGE_KINDS), pp: speed, tg: speed })

/**
 * The first step of a timed challenge (decision 019): the runner, its model loaded, says what
 * speeds it is about to claim; the platform sizes the challenge from them and stamps the ping on
 * the database's clock. The nonce is sent only at the next step, which also measures the round trip.
 */
export async function issueChallenge(runner: { id: string; organizationId: string }, jobId: string, body: unknown) {
  const claim = challengeClaimSchema.safeParse(body)
  if (!claim.success)
    throw new AppError(
      'invalid_input',
      'Send the kind of challenge and the speeds the result will claim: {"kind": "pp" or "tg", "pp": tokens/s, ' +
        '"tg": tokens/s}, positive numbers.',
    )
  const job = await challengeJob(runner, jobId)
  if (job.modelShape === PARTNER_MODEL)
    throw new AppError(
      'conflict',
      'A partner’s own model is not challenged: the platform holds no copy to recompute the answer, so its ' +
        'result stays private until ggml’s lab reproduces it.',
    )
  const size = challengeSize(claim.data.kind, claim.data, job)
  const nonce = randomBytes(24).toString('base64url')
  return unscopedDb('token').$transaction(async (tx) => {
    // The job row is the gate: two racing requests cannot both take the last attempt.
    await tx.$queryRaw`SELECT id FROM "CertJob" WHERE id = ${job.id} FOR UPDATE`
    const taken = await tx.certChallenge.count({ where: { jobId: job.id, kind: claim.data.kind } })
    if (taken >= CHALLENGE_ATTEMPTS)
      throw new AppError(
        'conflict',
        `This job had its ${CHALLENGE_ATTEMPTS} ${claim.data.kind} challenges: upload the result.`,
      )
    const id = newId()
    await tx.$executeRaw`
      INSERT INTO "CertChallenge" (id, "jobId", "organizationId", "runnerId", kind, attempt, "claimedPp",
        "claimedTg", "nPrompt", "nGen", rounds, k, nonce, "pingAt")
      VALUES (${id}, ${job.id}, ${job.organizationId}, ${runner.id}, ${claim.data.kind}, ${taken + 1}, ${claim.data.pp},
        ${claim.data.tg}, ${size.nPrompt}, ${size.nGen}, ${size.rounds}, ${CHALLENGE_K}, ${nonce}, clock_timestamp())`
    return {
      challengeId: id,
      kind: claim.data.kind,
      attempt: taken + 1,
      attempts: CHALLENGE_ATTEMPTS,
      ...size,
      k: CHALLENGE_K,
    }
  })
}
