import { AppError } from '../errors/app-error.ts'
import { enqueueJob } from '../jobs/enqueue-job.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'

/** Sends a delivery's event to its endpoint again, as a new job (same event id: receivers deduplicate). */
export async function resendWebhookDelivery(scope: TenantScope, deliveryId: string) {
  assertCan(scope, 'api_tokens.create')
  const delivery = await scope.db.webhookDelivery.findUnique({ where: { id: deliveryId } })
  if (!delivery) throw new AppError('not_found', 'No such delivery.')
  await scope.db.$transaction((tx) =>
    enqueueJob(tx, 'webhooks.deliver', { endpointId: delivery.endpointId, eventId: delivery.eventId }),
  )
}
