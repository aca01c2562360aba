import { unscopedDb } from '../platform/db/unscoped.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { nowMs } from '../platform/clock.ts'

/**
 * The job a challenge call is about: this runner's organization's, claimed by this runner, running
 * under a live lease. Another organization's job is not found, as one that does not exist.
 */
export async function challengeJob(runner: { id: string; organizationId: string }, jobId: string) {
  const job = await unscopedDb('token').certJob.findUnique({ where: { id: jobId } })
  if (!job || job.organizationId !== runner.organizationId)
    throw new AppError('not_found', `No job ${jobId} for this runner.`)
  if (job.status !== 'running' || job.claimedByRunnerId !== runner.id)
    throw new AppError('conflict', 'This job is not running under this runner: claim a job first.')
  if (job.leaseExpiresAt && job.leaseExpiresAt.getTime() < nowMs())
    throw new AppError('conflict', 'This job’s lease lapsed: it went back to the queue.')
  return job
}
