import { z } from 'zod'
import { now } from '../platform/clock.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { webhookEventTypes } from './webhook-events.ts'

const eventsColumn = z.array(z.enum(webhookEventTypes)).catch([])

/** The webhooks page: the endpoints, and the latest deliveries with request, response and timing. */
export async function listWebhooks(scope: TenantScope) {
  assertCan(scope, 'api_tokens.view')
  const [endpoints, deliveries] = await Promise.all([
    scope.db.webhookEndpoint.findMany({ orderBy: { createdAt: 'desc' } }),
    scope.db.webhookDelivery.findMany({
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: 100,
      include: { event: { select: { type: true } }, endpoint: { select: { url: true } } },
    }),
  ])
  const at = now()
  return {
    endpoints: endpoints.map((e) => ({
      id: e.id,
      url: e.url,
      events: eventsColumn.parse(e.events),
      createdAt: e.createdAt.toISOString(),
      disabled: e.disabledAt !== null,
      disabledAt: e.disabledAt?.toISOString() ?? null,
      disabledReason: e.disabledReason,
      // While the previous secret still signs, after a rotation.
      overlapEndsAt:
        e.previousSecretExpiresAt && e.previousSecretExpiresAt > at ? e.previousSecretExpiresAt.toISOString() : null,
    })),
    deliveries: deliveries.map((d) => ({
      id: d.id,
      eventId: d.eventId,
      type: d.event.type,
      url: d.endpoint.url,
      attempt: d.attempt,
      at: d.createdAt.toISOString(),
      durationMs: d.durationMs,
      succeeded: d.succeeded,
      responseStatus: d.responseStatus,
      signature: d.signature,
      request: d.requestBody,
      response: d.responseBody ?? '',
      error: d.error,
      nextAttemptAt: d.nextAttemptAt?.toISOString() ?? null,
    })),
  }
}
