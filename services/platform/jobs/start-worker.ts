import { DelayedError, Worker } from 'bullmq'
import { env } from '../config/env.ts'
import { logger } from '../observability/logger.ts'
import { metrics } from '../observability/metrics.ts'
import { createRedis } from '../redis/connection.ts'
import { unscopedDb } from '../db/unscoped.ts'
import { PLATFORM_QUEUE } from './queue.ts'
import type { JobHandlers } from './define-job.ts'
import { isJobName, jobCatalog } from './registry.ts'
import { nextWait, WAIT_GIVE_UP_MS, WaitingFor } from './waiting-for.ts'

/** A BullMQ worker running the given handlers (server/job-handlers.ts in every real process). */
export function startWorker(handlers: JobHandlers, concurrency = 4): Worker {
  const worker = new Worker(
    PLATFORM_QUEUE,
    async (job, token) => {
      if (!isJobName(job.name)) throw new Error(`No handler for job "${job.name}"`)
      const payload = jobCatalog[job.name].payload.parse(job.data)
      const handle = handlers[job.name] as (p: unknown, ctx: { jobId: string; attempt: number }) => Promise<void>
      try {
        await handle(payload, { jobId: job.id ?? '', attempt: job.attemptsMade + 1 })
      } catch (e) {
        // Real time, not the injected clock: BullMQ stamps jobs and schedules delays on the wall clock.
        // eslint-disable-next-line no-restricted-syntax
        const waited = Date.now() - job.timestamp
        if (!(e instanceof WaitingFor) || !token) throw e
        if (waited > WAIT_GIVE_UP_MS)
          throw new Error(`Still waiting after ${Math.round(waited / 3_600_000)} h: ${e.message}`, { cause: e })
        // Back to the queue, delayed, without spending an attempt (BullMQ's skipAttempt) or holding a slot.
        const delay = nextWait(waited)
        // eslint-disable-next-line no-restricted-syntax
        await job.moveToDelayed(Date.now() + delay, token)
        metrics().jobsWaiting.inc({ queue: PLATFORM_QUEUE, job: job.name })
        logger().info({ jobId: job.id, job: job.name, waitingFor: e.message, delayMs: delay }, 'job waits for another')
        throw new DelayedError()
      }
      // The work is done: its outbox row (the job's record in PostgreSQL) closes. Scheduled jobs have none.
      if (job.id)
        await unscopedDb('plumbing')
          .$executeRaw`UPDATE "OutboxMessage" SET "completedAt" = now() WHERE id = ${job.id} AND "completedAt" IS NULL`
    },
    { connection: createRedis(), prefix: env().REDIS_PREFIX, concurrency },
  )
  worker.on('completed', (job) => metrics().jobsCompleted.inc({ queue: PLATFORM_QUEUE, job: job.name }))
  worker.on('failed', (job, err) => {
    metrics().jobsFailed.inc({ queue: PLATFORM_QUEUE, job: job?.name ?? 'unknown' })
    logger().warn({ err, jobId: job?.id, job: job?.name }, 'job attempt failed')
  })
  worker.on('error', (err) => logger().error({ err }, 'worker error'))
  return worker
}
