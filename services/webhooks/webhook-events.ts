import { z } from 'zod'

/** What a partner's endpoint can be sent (issue 32); each is written where its change commits. */
export const webhookEventTypes = [
  'invoice.issued',
  'invoice.paid',
  'invoice.overdue',
  'credit_note.issued',
  'report.posted',
  'badge.issued',
  'badge.revoked',
  'certification.job.failed',
  'contract.signed',
  'engagement.invoiced',
] as const
export type WebhookEventType = (typeof webhookEventTypes)[number]

/** The body every delivery POSTs: the event id is the receiver's key for deduplication. */
export const webhookEnvelopeSchema = z.object({
  id: z.string().describe('The event id: the same on every retry and resend; deduplicate by it.'),
  type: z.enum(webhookEventTypes),
  createdAt: z.iso.datetime(),
  data: z.record(z.string(), z.unknown()),
})
export type WebhookEnvelope = z.output<typeof webhookEnvelopeSchema>
