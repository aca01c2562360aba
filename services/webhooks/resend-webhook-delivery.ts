import { AppError } from '../platform/errors/app-error.ts'
import { enqueueJob } from '../platform/jobs/enqueue-job.ts'
import { systemClock } from '../platform/clock.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'

// A resend job not done after this long (failed for good, say) no longer holds the next one back.
const ON_ITS_WAY_MS = 15 * 60_000

/**
 * Sends a delivery's event to its endpoint again, as one new attempt (same event id: receivers
 * deduplicate); a resend that fails is not retried on its own. One resend per endpoint is on its way
 * at a time: each may hold a worker slot, shared with invoices and email, for the 10 s deadline, and a
 * scripted form would otherwise queue thousands of them at once at whatever host the URL names.
 */
export async function resendWebhookDelivery(scope: TenantScope, deliveryId: string) {
  assertCan(scope, 'api_tokens.create')
  const delivery = await scope.db.webhookDelivery.findUnique({
    where: { id: deliveryId },
    include: { endpoint: { select: { disabledAt: true } } },
  })
  if (!delivery) throw new AppError('not_found', 'No such delivery.')
  if (delivery.endpoint.disabledAt)
    throw new AppError('conflict', 'The endpoint is disabled: re-enable it, then resend.')
  await scope.db.$transaction(async (tx) => {
    // The endpoint's row lock orders two resends of it: the second sees the first's job.
    await tx.$queryRaw`SELECT 1 FROM "WebhookEndpoint" WHERE "id" = ${delivery.endpointId} FOR UPDATE`
    const onItsWay = await tx.outboxMessage.count({
      where: {
        jobName: 'webhooks.deliver',
        completedAt: null,
        // The outbox stamps rows with the database's wall clock, not the platform's business clock.
        createdAt: { gt: new Date(systemClock.now().getTime() - ON_ITS_WAY_MS) },
        AND: [
          { payload: { path: ['endpointId'], equals: delivery.endpointId } },
          { payload: { path: ['manual'], equals: true } },
        ],
      },
    })
    if (onItsWay > 0)
      throw new AppError(
        'conflict',
        'A resend to this endpoint is still on its way: wait until its attempt appears below, then resend.',
      )
    const last = await tx.webhookDelivery.aggregate({
      where: { endpointId: delivery.endpointId, eventId: delivery.eventId },
      _max: { attempt: true },
    })
    await enqueueJob(tx, 'webhooks.deliver', {
      endpointId: delivery.endpointId,
      eventId: delivery.eventId,
      attempt: (last._max.attempt ?? 0) + 1,
      manual: true,
    })
  })
}
