import { z } from 'zod'

/**
 * Every job the platform can run: its name, its payload schema and, for scheduled work, its cron
 * pattern (UTC). Domains enqueue by name; handlers are bound where a worker starts
 * (server/job-handlers.ts), so this module imports no domain and no cycle runs through it.
 */
export const jobCatalog = {
  'email.send': { payload: z.object({ to: z.email(), subject: z.string(), text: z.string(), html: z.string() }) },
  'contracts.sync-envelope': { payload: z.object({ envelopeId: z.string().min(1) }) },
  'contracts.daily': { payload: z.object({}), schedule: '0 5 * * *' },
  'billing.issue-invoice': { payload: z.object({ journalEntryId: z.string().min(1) }) },
  'billing.sync-invoice': { payload: z.object({ stripeInvoiceId: z.string().min(1) }) },
  'billing.dunning': { payload: z.object({}), schedule: '0 7 * * *' },
  // Open invoices asked about at Stripe, for payments whose webhook was lost (issue 24).
  'billing.reconcile-open-invoices': { payload: z.object({}), schedule: '*/15 * * * *' },
  'royalties.missing-reports': { payload: z.object({}), schedule: '0 6 * * *' },
  'royalties.discard-stale-uploads': { payload: z.object({}), schedule: '30 4 * * *' },
  'services.accept-milestones': { payload: z.object({}), schedule: '0 5 * * *' },
  'services.invoice-run': { payload: z.object({}), schedule: '0 6 1 * *' },
  'credits.expire-lots': { payload: z.object({}), schedule: '5 0 * * *' },
  'credits.send-reminders': { payload: z.object({}), schedule: '0 9 * * *' },
  'training.fulfil-checkout': { payload: z.object({ sessionId: z.string().min(1) }) },
  // A checkout ended unpaid (Stripe's checkout.session.expired), or its promotion code's hold lapsed (issue 30).
  'training.expire-checkout': { payload: z.object({ sessionId: z.string().min(1) }) },
  // A paid checkout that could not be fulfilled is refunding: Stripe's refund, then the order marked (issue 30).
  'training.finish-refund': { payload: z.object({ orderId: z.string().min(1) }) },
  // Also reconciles: a paid checkout still open is fulfilled (or refunded), a refunding one finished.
  'training.release-lapsed-checkouts': { payload: z.object({}), schedule: '*/5 * * * *' },
  // Attempts whose time is up are submitted within a minute, with the answers saved by the deadline.
  'training.close-expired-attempts': { payload: z.object({}), schedule: '* * * * *' },
  // The platform synthesizes a model its jobs need, once, off the web process; then queues them.
  'certification.prepare-model': {
    payload: z.object({ shape: z.string().min(1), type: z.string().min(1), seed: z.number().int() }),
  },
  // The platform recomputes an uploaded result's proof of execution on its own copy of the model.
  'certification.verify-execution': { payload: z.object({ resultId: z.string().min(1) }) },
  'identity.send-password-reset': { payload: z.object({ email: z.email() }) },
  'identity.send-invitation': { payload: z.object({ invitationId: z.string().min(1) }) },
  // The person's second factor locked after wrong codes, or an administrator reset it (issue 25).
  'identity.send-second-factor-locked': {
    payload: z.object({ userId: z.string().min(1), lockedUntil: z.iso.datetime() }),
  },
  'identity.send-second-factor-reset': { payload: z.object({ userId: z.string().min(1) }) },
  // A contract's prepaid advance, invoiced at signature ("paid up front"; issue 30).
  'royalties.invoice-advance': { payload: z.object({ contractId: z.string().min(1) }) },
  // A paid pilot's fee, invoiced when it is signed, dated the day the signature was recorded (issue 27).
  'royalties.invoice-pilot-fee': {
    payload: z.object({ contractVersionId: z.string().min(1), signedOn: z.iso.date() }),
  },
  'royalties.email-statement': { payload: z.object({ organizationId: z.string().min(1), period: z.string().min(1) }) },
  // One event to one partner endpoint, signed (issue 32): an attempt, or a partner's resend (manual).
  'webhooks.deliver': {
    payload: z.object({
      endpointId: z.string().min(1),
      eventId: z.string().min(1),
      attempt: z.number().int().min(1).default(1),
      manual: z.boolean().default(false),
    }),
  },
  // Failed deliveries whose retry time has come, on the platform's clock (issue 32).
  'webhooks.retry-due': { payload: z.object({}), schedule: '* * * * *' },
} as const satisfies Record<string, { payload: z.ZodType; schedule?: string }>

export type JobName = keyof typeof jobCatalog
export type JobPayload<N extends JobName> = z.input<(typeof jobCatalog)[N]['payload']>
export type ParsedJobPayload<N extends JobName> = z.output<(typeof jobCatalog)[N]['payload']>

export const isJobName = (name: string): name is JobName => Object.hasOwn(jobCatalog, name)

export const scheduledJobs = (): { name: JobName; pattern: string }[] =>
  Object.entries(jobCatalog).flatMap(([name, def]) =>
    'schedule' in def && isJobName(name) ? [{ name, pattern: def.schedule }] : [],
  )
