import { unscopedDb } from '../platform/db/unscoped.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { nowMs } from '../platform/clock.ts'
import { LEASE_MS } from './job-specification.ts'

/** The runner is alive and says how far it got; the lease is renewed. */
export async function heartbeat(runner: { id: string; organizationId: string }, jobId: string, progress: string) {
  const renewed = await unscopedDb('token').certJob.updateMany({
    where: { id: jobId, claimedByRunnerId: runner.id, status: 'running' },
    data: { leaseExpiresAt: new Date(nowMs() + LEASE_MS), progress: progress.slice(0, 200) },
  })
  if (!renewed.count) {
    const job = await unscopedDb('token').certJob.findUnique({
      where: { id: jobId },
      select: { status: true, organizationId: true },
    })
    // A job that does not exist, or is another organization's, is not found: nothing about it is told.
    if (!job || job.organizationId !== runner.organizationId)
      throw new AppError('not_found', `No job ${jobId} for this runner.`)
    throw new AppError(
      'conflict',
      job?.status === 'withdrawn'
        ? 'The partner withdrew this job: stop and claim the next one.'
        : 'This job is no longer yours: its lease lapsed and it went back to the queue.',
    )
  }
  return { leaseExpiresAt: new Date(nowMs() + LEASE_MS).toISOString() }
}
