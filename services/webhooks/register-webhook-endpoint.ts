import { z } from 'zod'
import { AppError } from '../platform/errors/app-error.ts'
import { auditActorOf, recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { newId } from '../platform/db/ids.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { endpointUrlProblem, localEndpointsAllowed } from './webhook-address.ts'
import { webhookEventTypes } from './webhook-events.ts'
import { newWebhookSecret, sealWebhookSecret } from './webhook-secret.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

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

export const MAX_ENDPOINTS = 10

/** Registers an endpoint; its signing secret is returned once and stored only sealed. */
export async function registerWebhookEndpoint(scope: TenantScope, input: z.input<typeof webhookEndpointSchema>) {
  // Webhooks are an integration like API tokens: whoever may create a token may register an endpoint.
  assertCan(scope, 'api_tokens.create')
  const { url, events } = parseInput(webhookEndpointSchema, input)
  const secret = newWebhookSecret()
  const id = newId()
  await scope.db.$transaction(async (tx) => {
    // Each endpoint is a delivery per event: the same URL twice receives everything twice, and many
    // endpoints multiply what one event costs the worker (issue 32 review).
    const existing = await tx.webhookEndpoint.findMany({ select: { url: true, disabledAt: true } })
    const same = existing.find((e) => e.url === url)
    if (same)
      throw new AppError(
        'conflict',
        same.disabledAt
          ? 'This URL is registered already, and off: turn it on again from the list.'
          : 'This URL is registered already: one endpoint receives each event once.',
        { url: ['This URL is registered already.'] },
      )
    if (existing.filter((e) => !e.disabledAt).length >= MAX_ENDPOINTS)
      throw new AppError(
        'conflict',
        `An organization may register at most ${MAX_ENDPOINTS} endpoints: turn one off and register again.`,
      )
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
