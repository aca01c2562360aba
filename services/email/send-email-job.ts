import { z } from 'zod'
import { defineJob } from '../jobs/define-job.ts'
import { sendEmail } from './send-email.ts'

export const sendEmailJob = defineJob({
  name: 'email.send',
  payload: z.object({ to: z.email(), subject: z.string(), text: z.string(), html: z.string() }),
  handle: (payload, ctx) => sendEmail({ ...payload, idempotencyKey: `job:${ctx.jobId}` }),
})
