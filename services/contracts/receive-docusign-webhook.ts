import { createHash } from 'node:crypto'
import { z } from 'zod'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { docusignConfig, isDocuSignAvailable } from '../platform/docusign/docusign-config.ts'
import { verifyConnectSignature } from '../platform/docusign/verify-connect-signature.ts'
import { enqueueJob } from '../platform/jobs/enqueue-job.ts'
import { logger } from '../platform/observability/logger.ts'

// Event names and envelope ids (GUIDs) are short; PostgreSQL text cannot hold U+0000.
const connectText = z
  .string()
  .min(1)
  .max(100)
  .refine((s) => !s.includes('\u0000'))
const connectEvent = z.object({ event: connectText, data: z.object({ envelopeId: connectText }) })

export interface WebhookOutcome {
  status: 200 | 400 | 401
  message: string
}

/**
 * A DocuSign Connect delivery: the HMAC over the raw body must verify with one of our keys; each
 * distinct body is recorded once, and schedules one sync of its envelope in the same transaction.
 */
export async function receiveDocuSignWebhook(raw: Buffer, headers: Headers): Promise<WebhookOutcome> {
  const keys = isDocuSignAvailable() ? docusignConfig().hmacKeys : []
  if (!verifyConnectSignature(raw, headers, keys)) {
    logger().warn('DocuSign webhook with a missing or wrong signature refused')
    return { status: 401, message: 'Signature does not verify.' }
  }
  let body: z.infer<typeof connectEvent>
  try {
    body = connectEvent.parse(JSON.parse(raw.toString('utf8')))
  } catch {
    return { status: 400, message: 'Not a DocuSign Connect event (JSON with event and data.envelopeId).' }
  }
  const id = createHash('sha256').update(raw).digest('hex')
  const fresh = await unscopedDb('provider callback').$transaction(async (tx) => {
    const inserted = await tx.docuSignWebhookDelivery.createMany({
      data: [{ id, envelopeId: body.data.envelopeId, event: body.event }],
      skipDuplicates: true,
    })
    if (inserted.count === 0) return false
    await enqueueJob(tx, 'contracts.sync-envelope', { envelopeId: body.data.envelopeId })
    return true
  })
  return { status: 200, message: fresh ? 'Accepted.' : 'Already received.' }
}
