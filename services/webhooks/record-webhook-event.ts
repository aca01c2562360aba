import type { Tx } from '../platform/db/client.ts'
import { newId } from '../platform/db/ids.ts'
import { enqueueJob } from '../platform/jobs/enqueue-job.ts'
import { now } from '../platform/clock.ts'
import type { WebhookEventType } from './webhook-events.ts'
import { toJsonColumn } from '../platform/db/json-column.ts'

/**
 * Writes the event in the caller's transaction and, through the outbox, one delivery job per enabled
 * endpoint of the organization that takes it: sent if and only if the change commits, at least once.
 * `data` is the organization's own: callers pass ids and figures of the row they just changed.
 * `once`: a key for something with no row change of its own to hang on (an invoice falls overdue):
 * the database keeps one event per key and organization, and a second call sends nothing.
 */
export async function recordWebhookEvent(
  tx: Pick<Tx, 'webhookEvent' | 'webhookEndpoint' | 'outboxMessage'>,
  organizationId: string,
  type: WebhookEventType,
  data: Record<string, string | number | boolean | null>,
  options: { once?: string } = {},
): Promise<void> {
  const endpoints = await tx.webhookEndpoint.findMany({
    where: { organizationId, disabledAt: null },
    select: { id: true, events: true },
  })
  const takers = endpoints.filter((e) => Array.isArray(e.events) && e.events.includes(type))
  // No endpoint takes it: nothing to deliver, and nothing kept that no one can be sent.
  if (takers.length === 0) return
  const eventId = `evt_${newId().replaceAll('-', '')}`
  const written = await tx.webhookEvent.createMany({
    data: [
      {
        id: eventId,
        organizationId,
        type,
        payload: toJsonColumn(data),
        dedupKey: options.once ?? null,
        createdAt: now(),
      },
    ],
    skipDuplicates: true,
  })
  if (written.count === 0) return
  for (const e of takers) await enqueueJob(tx, 'webhooks.deliver', { endpointId: e.id, eventId })
}
