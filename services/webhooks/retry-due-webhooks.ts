import { unscopedDb } from '../platform/db/unscoped.ts'
import type { JobHandler } from '../platform/jobs/define-job.ts'
import { enqueueJob } from '../platform/jobs/enqueue-job.ts'
import { now } from '../platform/clock.ts'

/**
 * Every minute: the failed deliveries whose retry time has come (on the platform's clock) are queued
 * again, each once: the row's time is cleared in the transaction that writes the job to the outbox,
 * and SKIP LOCKED lets two sweeps run side by side.
 */
export async function retryDueWebhooks(batchSize = 500): Promise<number> {
  return unscopedDb('platform job').$transaction(async (tx) => {
    const due = await tx.$queryRaw<{ endpointId: string; eventId: string; attempt: number }[]>`
      UPDATE "WebhookDelivery" SET "nextAttemptAt" = NULL
       WHERE id IN (SELECT id FROM "WebhookDelivery" WHERE "nextAttemptAt" <= ${now().toISOString()}::timestamp
                     ORDER BY "nextAttemptAt" LIMIT ${batchSize} FOR UPDATE SKIP LOCKED)
      RETURNING "endpointId", "eventId", attempt`
    for (const d of due)
      await enqueueJob(tx, 'webhooks.deliver', {
        endpointId: d.endpointId,
        eventId: d.eventId,
        attempt: d.attempt + 1,
      })
    return due.length
  })
}

export const handleRetryDueWebhooks: JobHandler<'webhooks.retry-due'> = async () => {
  await retryDueWebhooks()
}
