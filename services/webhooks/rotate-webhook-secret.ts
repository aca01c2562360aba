import { z } from 'zod'
import { auditActorOf, recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { now } from '../platform/clock.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { newWebhookSecret, sealWebhookSecret } from './webhook-secret.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

/** How long the old secret still signs after a rotation: a day to deploy the new one to the receiver. */
export const ROTATION_OVERLAP_HOURS = 24

export const rotateWebhookSecretSchema = z.object({ endpointId: z.string().min(1) })

/**
 * Gives an endpoint a new signing secret, returned once. Until the overlap ends, deliveries carry a v1
 * signature for each secret, so the receiver can switch when it likes; a second rotation within the
 * overlap drops the oldest secret (only the one it replaces keeps signing).
 */
export async function rotateWebhookSecret(scope: TenantScope, input: z.input<typeof rotateWebhookSecretSchema>) {
  assertCan(scope, 'api_tokens.create')
  const { endpointId } = parseInput(rotateWebhookSecretSchema, input)
  const secret = newWebhookSecret()
  const overlapEndsAt = new Date(now().getTime() + ROTATION_OVERLAP_HOURS * 3600_000)
  await scope.db.$transaction(async (tx) => {
    const endpoint = await tx.webhookEndpoint.findUnique({ where: { id: endpointId } })
    if (!endpoint) throw new AppError('not_found', 'No such endpoint.')
    const moved = await tx.webhookEndpoint.updateMany({
      where: { id: endpoint.id, secretSealed: endpoint.secretSealed },
      data: {
        secretSealed: sealWebhookSecret(secret),
        previousSecretSealed: endpoint.secretSealed,
        previousSecretExpiresAt: overlapEndsAt,
      },
    })
    if (moved.count !== 1) throw new AppError('conflict', 'The secret was just rotated: reload the page.')
    await recordAuditEvent(tx, {
      actor: auditActorOf(scope),
      organizationId: scope.organization.id,
      action: 'webhook_endpoint.rotate_secret',
      targetType: 'webhook_endpoint',
      targetId: endpoint.id,
      changes: { overlapEndsAt: overlapEndsAt.toISOString() },
    })
  })
  return { secret, overlapEndsAt: overlapEndsAt.toISOString() }
}
