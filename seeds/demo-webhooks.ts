import { db } from '../services/platform/db/client.ts'
import { newId } from '../services/platform/db/ids.ts'
import type { Prisma } from '../services/platform/db/generated/client.ts'
import { actorForUser } from '../services/identity/sessions.ts'
import { now } from '../services/platform/clock.ts'
import { tenantScope } from '../services/tenancy/tenant-guard.ts'
import { registerWebhookEndpoint } from '../services/webhooks/register-webhook-endpoint.ts'
import { signatureHeader } from '../services/webhooks/sign-webhook.ts'
import { webhookEventTypes, type WebhookEventType } from '../services/webhooks/webhook-events.ts'
import { openWebhookSecret } from '../services/webhooks/webhook-secret.ts'

const ENDPOINT_URL = 'https://erp.northwind.example/ggml/webhooks'

/**
 * Northwind Silicon's ERP listens to every event (issue 32): Nora registered the endpoint, and its
 * history shows the contract's signature and the first quarter's report (refused once with a 503,
 * delivered on the retry). Written as history, after the contracts seed, about
 * Northwind's real contract and report; the receiver's name does not resolve, so anything new that
 * happens in the demo fails, is retried and, three days on, disables the endpoint. Runs once.
 */
export async function seedDemoWebhooks(): Promise<void> {
  const northwind = await db().organization.findUniqueOrThrow({ where: { slug: 'northwind-silicon' } })
  if (await db().webhookEndpoint.count({ where: { organizationId: northwind.id } })) return
  const nora = await db().user.findUniqueOrThrow({ where: { email: 'admin@northwind.example' } })
  const scope = await tenantScope(await actorForUser(nora.id), { id: northwind.id }, 'api_tokens.create')
  const { id: endpointId } = await registerWebhookEndpoint(scope, { url: ENDPOINT_URL, events: [...webhookEventTypes] })
  const endpoint = await db().webhookEndpoint.findUniqueOrThrow({ where: { id: endpointId } })
  const secret = openWebhookSecret(endpoint.secretSealed)

  const signed = await db().contractVersion.findFirst({
    where: { contract: { organizationId: northwind.id }, state: 'signed' },
    orderBy: { signedAt: 'asc' },
  })
  const report = await db().royaltyReport.findFirst({
    where: { organizationId: northwind.id },
    orderBy: { createdAt: 'asc' },
  })
  const history: { type: WebhookEventType; at: Date; data: Record<string, string | number | boolean | null> }[] = []
  if (signed?.signedAt)
    history.push({
      type: 'contract.signed',
      at: signed.signedAt,
      data: {
        contractId: signed.contractId,
        versionId: signed.id,
        version: signed.version,
        signedAt: signed.signedAt.toISOString(),
      },
    })
  if (report)
    history.push({
      type: 'report.posted',
      at: report.createdAt,
      data: {
        reportId: report.id,
        contractId: report.contractId,
        period: `${report.periodStart.getUTCFullYear()}-Q${Math.floor(report.periodStart.getUTCMonth() / 3) + 1}`,
        revision: report.revision,
        restatement: report.revision > 1,
      },
    })

  for (const [i, e] of history.entries()) {
    // Never dated ahead of the demo's clock.
    const at = e.at > now() ? now() : e.at
    const eventId = `evt_${newId().replaceAll('-', '')}`
    await db().webhookEvent.create({
      data: {
        id: eventId,
        organizationId: northwind.id,
        type: e.type,
        payload: e.data as Prisma.InputJsonValue,
        createdAt: at,
      },
    })
    const body = JSON.stringify({ id: eventId, type: e.type, createdAt: at.toISOString(), data: e.data })
    // The latest event met the ERP during its maintenance window: a 503, then the retry went through.
    const attempts =
      i === history.length - 1
        ? [
            { status: 503, answer: 'Service Unavailable: maintenance until 02:00 UTC', ms: 184, after: 0 },
            { status: 200, answer: '{"received":true}', ms: 212, after: 5 * 60_000 },
          ]
        : [{ status: 200, answer: '{"received":true}', ms: 197, after: 0 }]
    for (const [n, a] of attempts.entries()) {
      const sentAt = new Date(Math.min(at.getTime() + a.after, now().getTime()))
      await db().webhookDelivery.create({
        data: {
          id: newId(),
          organizationId: northwind.id,
          endpointId,
          eventId,
          jobId: newId(),
          attempt: n + 1,
          requestBody: body,
          signature: signatureHeader(secret, Math.floor(sentAt.getTime() / 1000), body),
          responseStatus: a.status,
          responseBody: a.answer,
          durationMs: a.ms,
          succeeded: a.status < 300,
          createdAt: sentAt,
        },
      })
    }
  }
}
