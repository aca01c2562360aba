import { platformQueue } from './queue.ts'

export interface FailedJob {
  id: string
  name: string
  failedReason: string
  attemptsMade: number
  failedAt: string | null
  data: unknown
}

export async function listFailedJobs(limit = 100): Promise<FailedJob[]> {
  const jobs = await platformQueue().getFailed(0, limit - 1)
  return jobs.map((j) => ({
    id: j.id ?? '',
    name: j.name,
    failedReason: j.failedReason,
    attemptsMade: j.attemptsMade,
    failedAt: j.finishedOn ? new Date(j.finishedOn).toISOString() : null,
    data: j.data,
  }))
}

export async function jobCounts() {
  return platformQueue().getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed')
}

/** Returns false when the job is gone or no longer failed (someone retried it already). */
export async function retryFailedJob(jobId: string): Promise<boolean> {
  const job = await platformQueue().getJob(jobId)
  if (!job || !(await job.isFailed())) return false
  await job.retry('failed')
  return true
}
