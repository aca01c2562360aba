import type { JobHandler } from '../jobs/define-job.ts'
import { sendEmail } from './send-email.ts'

export const handleSendEmail: JobHandler<'email.send'> = (payload, ctx) =>
  sendEmail({ ...payload, idempotencyKey: `job:${ctx.jobId}` })
