import type { Queue } from 'bullmq'
import { crashPointForTests } from '../config/crash-points.ts'
import type { Db } from '../db/client.ts'
import { logger } from '../observability/logger.ts'
import { metrics } from '../observability/metrics.ts'

interface OutboxRow {
  id: string
  jobName: string
  payload: unknown
}

/**
 * Moves committed outbox rows to BullMQ. The job id is the row id, and BullMQ ignores an add whose
 * id it already holds, so a relay killed between `add` and the `relayedAt` update re-adds nothing.
 * SKIP LOCKED lets several relays run side by side.
 */
export async function relayOutboxOnce(db: Db, queue: Queue, batchSize = 100): Promise<number> {
  return db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<OutboxRow[]>`
      SELECT id, "jobName", payload FROM "OutboxMessage"
      WHERE "relayedAt" IS NULL ORDER BY "createdAt", id
      LIMIT ${batchSize} FOR UPDATE SKIP LOCKED`
    if (rows.length === 0) return 0
    await queue.addBulk(rows.map((r) => ({ name: r.jobName, data: r.payload, opts: { jobId: r.id } })))
    crashPointForTests('relay:after-add')
    await tx.$executeRaw`UPDATE "OutboxMessage" SET "relayedAt" = now() WHERE id = ANY(${rows.map((r) => r.id)})`
    metrics().outboxRelayed.inc(rows.length)
    return rows.length
  })
}

export interface RelayHandle {
  stop: () => Promise<void>
}

export function startOutboxRelay(db: Db, queue: Queue, intervalMs = 200): RelayHandle {
  let stopped = false
  let running: Promise<void> = Promise.resolve()
  const loop = async () => {
    while (!stopped) {
      try {
        const moved = await relayOutboxOnce(db, queue)
        if (moved > 0) continue
      } catch (err) {
        logger().error({ err }, 'outbox relay failed; retrying')
      }
      await new Promise((r) => setTimeout(r, intervalMs))
    }
  }
  running = loop()
  return {
    stop: async () => {
      stopped = true
      await running
    },
  }
}
