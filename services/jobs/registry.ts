import type { z } from 'zod'
import { sendEmailJob } from '../email/send-email-job.ts'
import { contractsDailyJob } from '../contracts/contracts-daily.ts'
import { syncEnvelopeJob } from '../contracts/sync-envelope.ts'
import { issueInvoiceJob } from '../billing/issue-invoice.ts'
import { syncInvoiceJob } from '../billing/stripe-webhooks.ts'
import { dunningJob } from '../billing/dunning.ts'
import { missingReportsJob } from '../royalties/missing-reports.ts'
import { emailStatementJob } from '../royalties/email-statement.ts'
import type { JobDefinition } from './define-job.ts'

// Every job the worker can run. A new job is added here and nowhere else.
const definitions = {
  'email.send': sendEmailJob,
  'contracts.sync-envelope': syncEnvelopeJob,
  'contracts.daily': contractsDailyJob,
  'billing.issue-invoice': issueInvoiceJob,
  'billing.sync-invoice': syncInvoiceJob,
  'billing.dunning': dunningJob,
  'royalties.missing-reports': missingReportsJob,
  'royalties.email-statement': emailStatementJob,
} as const satisfies Record<string, JobDefinition>

export type JobName = keyof typeof definitions
export type JobPayload<N extends JobName> = z.input<(typeof definitions)[N]['payload']>

export const isJobName = (name: string): name is JobName => Object.hasOwn(definitions, name)
export const jobDefinition = <N extends JobName>(name: N): (typeof definitions)[N] => definitions[name]
