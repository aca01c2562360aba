import { z } from 'zod'
import { auditActorOf, recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

export const enableWebhookEndpointSchema = z.object({ endpointId: z.string().min(1) })

/** Turns a disabled endpoint back on: events from now on are sent; earlier ones can be resent one by one. */
export async function enableWebhookEndpoint(scope: TenantScope, input: z.input<typeof enableWebhookEndpointSchema>) {
  assertCan(scope, 'api_tokens.create')
  const { endpointId } = parseInput(enableWebhookEndpointSchema, input)
  await scope.db.$transaction(async (tx) => {
    const endpoint = await tx.webhookEndpoint.findUnique({ where: { id: endpointId } })
    if (!endpoint) throw new AppError('not_found', 'No such endpoint.')
    if (!endpoint.disabledAt) throw new AppError('conflict', 'The endpoint is enabled already.')
    await tx.webhookEndpoint.update({ where: { id: endpoint.id }, data: { disabledAt: null, disabledReason: null } })
    await recordAuditEvent(tx, {
      actor: auditActorOf(scope),
      organizationId: scope.organization.id,
      action: 'webhook_endpoint.enable',
      targetType: 'webhook_endpoint',
      targetId: endpoint.id,
      changes: { url: endpoint.url, wasDisabledAt: endpoint.disabledAt.toISOString() },
    })
  })
}
