import http from 'node:http'
import https from 'node:https'
import { isDeployment } from '../config/env.ts'
import { db } from '../db/client.ts'
import { newId } from '../db/ids.ts'
import { systemClock } from '../platform/clock.ts'
import { guardedLookup } from './webhook-address.ts'
import { SIGNATURE_HEADER, signatureHeader } from './sign-webhook.ts'
import { openWebhookSecret } from './webhook-secret.ts'

const TIMEOUT_MS = 10_000
const MAX_RESPONSE_BYTES = 4096

interface Answer {
  status: number | null
  body: string | null
  error: string | null
}

/** POSTs with a deadline, through the guarded lookup, reading at most 4 kB of the answer. */
function post(url: string, body: string, headers: Record<string, string>): Promise<Answer> {
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
    const u = new URL(url)
    const request = (u.protocol === 'https:' ? https : http).request(
      u,
      {
        method: 'POST',
        headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
        lookup: guardedLookup(isDeployment()),
        timeout: TIMEOUT_MS,
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

/**
 * The `webhooks.deliver` job: sends one event to one endpoint, signed, and records the attempt. A
 * non-2xx answer or no answer throws, so the queue retries with exponential backoff; a job that
 * already delivered (a retried or re-relayed job) sends nothing again. Receivers deduplicate by the
 * event id, which every retry and resend repeats.
 */
export async function deliverWebhook(
  payload: { endpointId: string; eventId: string },
  ctx: { jobId: string; attempt: number },
): Promise<void> {
  const endpoint = await db().webhookEndpoint.findUnique({ where: { id: payload.endpointId } })
  const event = await db().webhookEvent.findUnique({ where: { id: payload.eventId } })
  if (!endpoint || !event || endpoint.organizationId !== event.organizationId || endpoint.disabledAt) return
  if (await db().webhookDelivery.findFirst({ where: { jobId: ctx.jobId, succeeded: true }, select: { id: true } }))
    return
  const body = JSON.stringify({
    id: event.id,
    type: event.type,
    createdAt: event.createdAt.toISOString(),
    data: event.payload,
  })
  // The receiver checks the timestamp against its own clock: the wall clock's, even when the platform's
  // business clock travels (the demo, tests), as Stripe's signatures do.
  const timestamp = Math.floor(systemClock.now().getTime() / 1000)
  const signature = signatureHeader(openWebhookSecret(endpoint.secretSealed), timestamp, body)
  const started = performance.now()
  const answer = await post(endpoint.url, body, {
    'Content-Type': 'application/json',
    'User-Agent': 'GGML-Webhooks/1.0',
    [SIGNATURE_HEADER]: signature,
    'GGML-Event-Id': event.id,
    'GGML-Event-Type': event.type,
  })
  const succeeded = answer.status !== null && answer.status >= 200 && answer.status < 300
  await db().webhookDelivery.create({
    data: {
      id: newId(),
      organizationId: endpoint.organizationId,
      endpointId: endpoint.id,
      eventId: event.id,
      jobId: ctx.jobId,
      attempt: ctx.attempt,
      requestBody: body,
      signature,
      responseStatus: answer.status,
      responseBody: answer.body,
      error: answer.error,
      durationMs: Math.round(performance.now() - started),
      succeeded,
    },
  })
  if (!succeeded)
    throw new Error(`webhook ${event.id} to ${endpoint.url}: ${answer.error ?? `answered ${answer.status}`}`)
}
