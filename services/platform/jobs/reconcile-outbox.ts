import type { Queue } from 'bullmq'
import type { Db } from '../db/client.ts'
import { logger } from '../observability/logger.ts'
import { scheduledJobs } from './registry.ts'

/** A relayed job Redis has held this long without finishing is looked for there. */
const GRACE_SECONDS = 60

/**
 * PostgreSQL is the record of work: an outbox row stays open until its job has done its work
 * (start-worker.ts closes it). Open rows relayed a while ago whose job Redis no longer holds (Redis
 * restarted empty, or lost its last writes) go back to the relay, which adds them under the same id;
 * handlers are idempotent by that id, so a job that did run but whose closing was lost does nothing
 * twice. A job Redis finished is closed here. Returns how many were handed back.
 */
export async function reconcileOutbox(
  db: Db,
  queue: Queue,
  graceSeconds = GRACE_SECONDS,
  batch = 1000,
): Promise<number> {
  const open = await db.$queryRaw<{ id: string }[]>`
    SELECT id FROM "OutboxMessage"
    WHERE "completedAt" IS NULL AND "relayedAt" < now() - make_interval(secs => ${graceSeconds})
    ORDER BY "relayedAt" LIMIT ${batch}`
  const lost: string[] = []
  const done: string[] = []
  const held: string[] = []
  for (const { id } of open) {
    const job = await queue.getJob(id)
    if (!job) lost.push(id)
    else if (await job.isCompleted()) done.push(id)
    else held.push(id)
  }
  // Still in Redis (waiting, delayed, or failed for good and kept for /admin/jobs): seen now, so they go to
  // the back of the line; otherwise a thousand failed jobs would fill every batch, and a job Redis later
  // lost would never be handed back (operator review of issue 24).
  if (held.length)
    await db.$executeRaw`
      UPDATE "OutboxMessage" SET "relayedAt" = now() WHERE id = ANY(${held}) AND "completedAt" IS NULL
        AND "relayedAt" IS NOT NULL`
  if (done.length)
    await db.$executeRaw`
      UPDATE "OutboxMessage" SET "completedAt" = now() WHERE id = ANY(${done}) AND "completedAt" IS NULL`
  if (lost.length) {
    await db.$executeRaw`
      UPDATE "OutboxMessage" SET "relayedAt" = NULL WHERE id = ANY(${lost}) AND "completedAt" IS NULL`
    logger().warn({ count: lost.length }, 'jobs Redis no longer held were handed back to the relay')
  }
  return lost.length
}

/**
 * Every scheduled job has its scheduler in Redis, with the pattern the code says (declared again after
 * Redis lost them, or changed when a release changed its schedule).
 */
export async function ensureSchedulers(queue: Queue): Promise<number> {
  let declared = 0
  for (const { name, pattern } of scheduledJobs()) {
    if ((await queue.getJobScheduler(name))?.pattern === pattern) continue
    await queue.upsertJobScheduler(name, { pattern, tz: 'UTC' }, { name, data: {} })
    declared++
  }
  return declared
}

export interface ReconcilerHandle {
  stop: () => void
}

/** Reconciles at start and then every minute, in every worker process. */
export function startReconciler(db: Db, queue: Queue, everyMs = 60_000): ReconcilerHandle {
  let running = false
  const tick = async () => {
    if (running) return
    running = true
    try {
      const schedulers = await ensureSchedulers(queue)
      if (schedulers) logger().info({ schedulers }, 'job schedulers declared')
      await reconcileOutbox(db, queue)
    } catch (err) {
      logger().error({ err }, 'outbox reconciliation failed; retrying in a minute')
    } finally {
      running = false
    }
  }
  void tick()
  const timer = setInterval(() => void tick(), everyMs)
  timer.unref()
  return { stop: () => clearInterval(timer) }
}
