import http from 'node:http'
import https from 'node:https'
import { unscopedDb } from '../platform/db/unscoped.ts'
import type { WebhookEndpoint, WebhookEvent } from '../platform/db/generated/client.ts'
import { newId } from '../platform/db/ids.ts'
import type { ParsedJobPayload } from '../platform/jobs/registry.ts'
import { WaitingFor } from '../platform/jobs/waiting-for.ts'
import { now, systemClock } from '../platform/clock.ts'
import { disableFailingEndpoint } from './disable-webhook-endpoint.ts'
import { guardedLookup, localEndpointsAllowed, sendTimeProblem } from './webhook-address.ts'
import { nextAttemptAt } from './webhook-retry-schedule.ts'
import { SIGNATURE_HEADER, signatureHeader } from './sign-webhook.ts'
import { openWebhookSecret } from './webhook-secret.ts'

const TIMEOUT_MS = 10_000
const MAX_RESPONSE_BYTES = 4096

interface Answer {
  status: number | null
  body: string | null
  error: string | null
}

/**
 * POSTs with a deadline, through the guarded lookup, reading at most 4 kB of the answer. Redirects are
 * not followed (node's http never does): a 3xx is a failed attempt, so a receiver cannot bounce us to
 * an address the checks would refuse.
 */
function post(url: string, body: string, headers: Record<string, string>): Promise<Answer> {
  const allowLocal = localEndpointsAllowed()
  const u = new URL(url)
  const refused = sendTimeProblem(u, allowLocal)
  if (refused) return Promise.resolve({ status: null, body: null, error: `refused: ${refused}` })
  return new Promise((resolve) => {
    // One deadline for the whole exchange, not only the socket's idle time: an endpoint sending a byte
    // every few seconds would otherwise hold a worker slot, shared with invoices and email, for hours.
    const deadline = setTimeout(
      () => request.destroy(new Error(`no complete answer within ${TIMEOUT_MS / 1000} s`)),
      TIMEOUT_MS,
    )
    const settle = (a: Answer) => {
      clearTimeout(deadline)
      resolve(a)
    }
    const request = (u.protocol === 'https:' ? https : http).request(
      u,
      {
        method: 'POST',
        headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
        lookup: guardedLookup(!allowLocal),
        timeout: TIMEOUT_MS,
        maxHeaderSize: 16 * 1024,
      },
      (res) => {
        const chunks: Buffer[] = []
        let size = 0
        const done = () =>
          settle({ status: res.statusCode ?? null, body: Buffer.concat(chunks).toString('utf8'), error: null })
        res.on('data', (c: Buffer) => {
          if (size < MAX_RESPONSE_BYTES) chunks.push(c.subarray(0, MAX_RESPONSE_BYTES - size))
          size += c.length
          if (size >= MAX_RESPONSE_BYTES) {
            res.destroy()
            done()
          }
        })
        res.on('end', done)
        res.on('error', (e) => settle({ status: res.statusCode ?? null, body: null, error: e.message }))
      },
    )
    request.on('timeout', () => request.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)))
    request.on('error', (e) => settle({ status: null, body: null, error: e.message }))
    request.end(body)
  })
}

/** The secrets a delivery is signed with now: the current one, and the previous during its overlap. */
function signingSecrets(endpoint: {
  secretSealed: string
  previousSecretSealed: string | null
  previousSecretExpiresAt: Date | null
}): string[] {
  const overlap =
    endpoint.previousSecretSealed && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > now()
  return [
    openWebhookSecret(endpoint.secretSealed),
    ...(overlap ? [openWebhookSecret(endpoint.previousSecretSealed!)] : []),
  ]
}

/**
 * Deliveries under way in this worker process, by endpoint. A receiver may take up to the 10 s deadline
 * to answer, and deliveries share the worker's slots with invoices, mail and Stripe: at most two run at
 * once, one per endpoint, so a slow or silent receiver holds one slot at most and the others stay free
 * (issue 24 and 32 attack review: ten endpoints on one silent URL held every slot, and an email queued
 * behind one event waited 51 s). A delivery that finds no room waits (WaitingFor), spending no attempt.
 */
const delivering = new Set<string>()
export const WEBHOOK_DELIVERIES_AT_ONCE = 2

/**
 * The `webhooks.deliver` job: sends one event to one endpoint, signed, and records the attempt. A
 * failed attempt (non-2xx, no answer, a refused address) is retried on the platform's clock: the
 * attempt's row says when (webhook-retry-schedule.ts) and `webhooks.retry-due` sends it then; after
 * three days of failures with no success in between, the endpoint is disabled and its admins mailed.
 * A job that already delivered (a re-relayed job) sends nothing again. Receivers deduplicate by the
 * event id, which every retry and resend repeats.
 */
export async function deliverWebhook(
  payload: ParsedJobPayload<'webhooks.deliver'>,
  ctx: { jobId: string; attempt: number },
): Promise<void> {
  const endpoint = await unscopedDb('platform job').webhookEndpoint.findUnique({ where: { id: payload.endpointId } })
  const event = await unscopedDb('platform job').webhookEvent.findUnique({ where: { id: payload.eventId } })
  if (!endpoint || !event || endpoint.organizationId !== event.organizationId || endpoint.disabledAt) return
  if (
    await unscopedDb('platform job').webhookDelivery.findFirst({
      where: { jobId: ctx.jobId, succeeded: true },
      select: { id: true },
    })
  )
    return
  if (delivering.size >= WEBHOOK_DELIVERIES_AT_ONCE || delivering.has(endpoint.id))
    throw new WaitingFor(`a delivery slot for webhook endpoint ${endpoint.id}`)
  delivering.add(endpoint.id)
  try {
    await send(endpoint, event, payload, ctx)
  } finally {
    delivering.delete(endpoint.id)
  }
}

async function send(
  endpoint: WebhookEndpoint,
  event: WebhookEvent,
  payload: ParsedJobPayload<'webhooks.deliver'>,
  ctx: { jobId: string; attempt: number },
): Promise<void> {
  const body = JSON.stringify({
    id: event.id,
    type: event.type,
    createdAt: event.createdAt.toISOString(),
    data: event.payload,
  })
  // The receiver checks the timestamp against its own clock: the wall clock's, even when the platform's
  // business clock travels (the demo, tests), as Stripe's signatures do.
  const timestamp = Math.floor(systemClock.now().getTime() / 1000)
  const signature = signatureHeader(signingSecrets(endpoint), timestamp, body)
  const started = performance.now()
  const answer = await post(endpoint.url, body, {
    'Content-Type': 'application/json',
    'User-Agent': 'GGML-Webhooks/1.0',
    [SIGNATURE_HEADER]: signature,
    'GGML-Event-Id': event.id,
    'GGML-Event-Type': event.type,
  })
  const durationMs = Math.round(performance.now() - started)
  const succeeded = answer.status !== null && answer.status >= 200 && answer.status < 300
  const at = now()
  // A resend is one attempt; the automatic ones carry on until the event's three days are over.
  const retryAt = succeeded || payload.manual ? null : nextAttemptAt(event.createdAt, payload.attempt, at)
  await unscopedDb('platform job').$transaction(async (tx) => {
    await tx.webhookDelivery.create({
      data: {
        id: newId(),
        organizationId: endpoint.organizationId,
        endpointId: endpoint.id,
        eventId: event.id,
        jobId: ctx.jobId,
        attempt: payload.attempt,
        requestBody: body,
        signature,
        responseStatus: answer.status,
        responseBody: answer.body,
        error: answer.error,
        durationMs,
        succeeded,
        nextAttemptAt: retryAt,
        createdAt: at,
      },
    })
    if (succeeded || payload.manual || retryAt) return
    // The event's three days are over. An endpoint that answered nothing else well since is down, not
    // having a bad moment: stop sending to it.
    const deliveredSince = await tx.webhookDelivery.count({
      where: { endpointId: endpoint.id, succeeded: true, createdAt: { gte: event.createdAt } },
    })
    if (deliveredSince === 0)
      await disableFailingEndpoint(
        tx,
        endpoint,
        `every delivery failed for three days (the last: ${answer.error ?? `answered ${answer.status}`}).`,
      )
  })
}
