import { AppError } from '../errors/app-error.ts'
import { enqueueJob } from '../jobs/enqueue-job.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'

/**
 * Sends a delivery's event to its endpoint again, as one new attempt (same event id: receivers
 * deduplicate); a resend that fails is not retried on its own.
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
  const last = await scope.db.webhookDelivery.aggregate({
    where: { endpointId: delivery.endpointId, eventId: delivery.eventId },
    _max: { attempt: true },
  })
  await scope.db.$transaction((tx) =>
    enqueueJob(tx, 'webhooks.deliver', {
      endpointId: delivery.endpointId,
      eventId: delivery.eventId,
      attempt: (last._max.attempt ?? 0) + 1,
      manual: true,
    }),
  )
}
