import type { MailTransport } from '../db/generated/enums.ts'
import { Resend } from 'resend'
import { z } from 'zod'
import { env } from '../config/env.ts'
import { unscopedDb } from '../db/unscoped.ts'
import { newId } from '../db/ids.ts'
import { metrics } from '../observability/metrics.ts'
import { singleton } from '../singleton.ts'
import { errorCode } from '../errors/error-code.ts'
import { parseInput } from '../errors/parse-input.ts'

export const emailSchema = z.object({
  idempotencyKey: z.string().min(1),
  /** The email carries a capability link (reset, invitation): the stored copy keeps it only in the local mailbox. */
  secretLinks: z.boolean().optional(),
  to: z.email(),
  subject: z.string().min(1).max(300),
  text: z.string(),
  html: z.string(),
})

export type Email = z.infer<typeof emailSchema>

// The Resend SDK reads RESEND_BASE_URL itself; with no API key, mail stays in the local mailbox
// (MailMessage) that admins read at /admin/mail.
const resend = () => singleton('resend', () => new Resend(env().RESEND_API_KEY))

const LINK = /https?:\/\/[^\s"<]+/g
const withoutLinks = (m: Omit<Email, 'secretLinks'>) => ({
  ...m,
  text: m.text.replace(LINK, '[link sent to the recipient only]'),
  html: m.html.replace(LINK, '#'),
})

/** Idempotent: a second call with the same key sends nothing. */
export async function sendEmail(input: Email): Promise<void> {
  const email = parseInput(emailSchema, input)
  const seen = await unscopedDb('plumbing').mailMessage.findUnique({ where: { idempotencyKey: email.idempotencyKey } })
  if (seen) return
  let transport: MailTransport = 'local'
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
  const { secretLinks, ...message } = email
  // The local mailbox is how the demo's people read their mail; a provider's copy is the recipient's alone.
  const stored = secretLinks && transport !== 'local' ? withoutLinks(message) : message
  try {
    await unscopedDb('plumbing').mailMessage.create({ data: { id: newId(), ...stored, transport, providerMessageId } })
  } catch (err) {
    // A concurrent retry recorded it first; Resend's idempotency key kept the provider side single.
    if (errorCode(err) === 'P2002') return
    throw err
  }
  metrics().emailsSent.inc({ transport })
}
