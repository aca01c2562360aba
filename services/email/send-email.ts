import { Resend } from 'resend'
import { z } from 'zod'
import { env } from '../config/env.ts'
import { db } from '../db/client.ts'
import { newId } from '../db/ids.ts'
import { metrics } from '../observability/metrics.ts'
import { singleton } from '../platform/singleton.ts'

export const emailSchema = z.object({
  idempotencyKey: z.string().min(1),
  to: z.email(),
  subject: z.string().min(1).max(300),
  text: z.string(),
  html: z.string(),
})

export type Email = z.infer<typeof emailSchema>

// The Resend SDK reads RESEND_BASE_URL itself; with no API key, mail stays in the local mailbox
// (MailMessage) that admins read at /admin/mail.
const resend = () => singleton('resend', () => new Resend(env().RESEND_API_KEY))

/** Idempotent: a second call with the same key sends nothing. */
export async function sendEmail(input: Email): Promise<void> {
  const email = emailSchema.parse(input)
  const seen = await db().mailMessage.findUnique({ where: { idempotencyKey: email.idempotencyKey } })
  if (seen) return
  let transport = 'local'
  let providerMessageId: string | null = null
  if (env().RESEND_API_KEY) {
    const { data, error } = await resend().emails.send(
      { from: env().MAIL_FROM, to: email.to, subject: email.subject, text: email.text, html: email.html },
      { idempotencyKey: email.idempotencyKey },
    )
    if (error) throw new Error(`Resend refused the email: ${error.message}`)
    transport = 'resend'
    providerMessageId = data?.id ?? null
  }
  try {
    await db().mailMessage.create({ data: { id: newId(), ...email, transport, providerMessageId } })
  } catch (err) {
    // A concurrent retry recorded it first; Resend's idempotency key kept the provider side single.
    if ((err as { code?: string }).code === 'P2002') return
    throw err
  }
  metrics().emailsSent.inc({ transport })
}
