import { unscopedDb } from '../platform/db/unscoped.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { challengeJob } from './challenge-job.ts'

/**
 * The second step: the runner answers the ping at once and gets the nonce. The time from the ping's
 * stamp to this request is the round trip the allowance counts (capped, decision 019); the clock
 * of the answer starts now, on the database's clock, which every web process shares.
 */
export async function startChallenge(runner: { id: string; organizationId: string }, jobId: string, id: string) {
  await challengeJob(runner, jobId)
  const [started] = await unscopedDb('token').$queryRaw<{ nonce: string }[]>`
    UPDATE "CertChallenge" SET "startedAt" = clock_timestamp(),
      "roundTripMs" = ROUND(EXTRACT(EPOCH FROM clock_timestamp() - "pingAt") * 1000)::int
    WHERE id = ${id} AND "jobId" = ${jobId} AND "runnerId" = ${runner.id} AND "startedAt" IS NULL
    RETURNING nonce`
  if (!started) throw new AppError('conflict', 'No such challenge waiting to start: ask for a new one.')
  return { nonce: started.nonce }
}
