import { z } from 'zod'
import { auditActorOf, recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { now } from '../platform/clock.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

export const turnOffWebhookEndpointSchema = z.object({ endpointId: z.string().min(1) })

/**
 * A partner's admin turns an endpoint off (a system retired, a URL registered by mistake): no events are
 * written for it from now on and its pending retries are dropped. Its deliveries stay listed; it can be
 * turned on again like one the platform disabled.
 */
export async function turnOffWebhookEndpoint(scope: TenantScope, input: z.input<typeof turnOffWebhookEndpointSchema>) {
  assertCan(scope, 'api_tokens.create')
  const { endpointId } = parseInput(turnOffWebhookEndpointSchema, input)
  await scope.db.$transaction(async (tx) => {
    const endpoint = await tx.webhookEndpoint.findUnique({ where: { id: endpointId } })
    if (!endpoint) throw new AppError('not_found', 'No such endpoint.')
    if (endpoint.disabledAt) throw new AppError('conflict', 'The endpoint is off already.')
    const reason = `turned off by ${scope.actor.email}`
    await tx.webhookEndpoint.update({ where: { id: endpoint.id }, data: { disabledAt: now(), disabledReason: reason } })
    await tx.webhookDelivery.updateMany({
      where: { endpointId: endpoint.id, nextAttemptAt: { not: null } },
      data: { nextAttemptAt: null },
    })
    await recordAuditEvent(tx, {
      actor: auditActorOf(scope),
      organizationId: scope.organization.id,
      action: 'webhook_endpoint.disable',
      targetType: 'webhook_endpoint',
      targetId: endpoint.id,
      changes: { url: endpoint.url, reason },
    })
  })
}
