import { z } from 'zod'
import { auditActorOf, recordAuditEvent } from '../audit/record-audit-event.ts'
import { newId } from '../db/ids.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { endpointUrlProblem, localEndpointsAllowed } from './webhook-address.ts'
import { webhookEventTypes } from './webhook-events.ts'
import { newWebhookSecret, sealWebhookSecret } from './webhook-secret.ts'

export const webhookEndpointSchema = z.object({
  url: z
    .string()
    .trim()
    .max(2000)
    .superRefine((url, ctx) => {
      const problem = endpointUrlProblem(url, !localEndpointsAllowed())
      if (problem) ctx.addIssue({ code: 'custom', message: problem })
    }),
  events: z.array(z.enum(webhookEventTypes)).min(1, 'Choose at least one event.'),
})

/** Registers an endpoint; its signing secret is returned once and stored only sealed. */
export async function registerWebhookEndpoint(scope: TenantScope, input: z.input<typeof webhookEndpointSchema>) {
  // Webhooks are an integration like API tokens: whoever may create a token may register an endpoint.
  assertCan(scope, 'api_tokens.create')
  const { url, events } = webhookEndpointSchema.parse(input)
  const secret = newWebhookSecret()
  const id = newId()
  await scope.db.$transaction(async (tx) => {
    await tx.webhookEndpoint.create({
      data: {
        id,
        organizationId: scope.organization.id,
        url,
        events,
        secretSealed: sealWebhookSecret(secret),
        createdById: scope.actor.userId,
      },
    })
    await recordAuditEvent(tx, {
      actor: auditActorOf(scope),
      organizationId: scope.organization.id,
      action: 'webhook_endpoint.create',
      targetType: 'webhook_endpoint',
      targetId: id,
      changes: { after: { url, events } },
    })
  })
  return { id, secret }
}
