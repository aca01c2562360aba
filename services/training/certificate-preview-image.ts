import { createHash } from 'node:crypto'
import { longDate } from '../credentials/credential-verdict.ts'
import { socialCardPng } from '../credentials/social-card.ts'
import { publicCertificate } from './certificate-credential.ts'

/**
 * The picture a shared certificate link previews with (Open Graph, 1200×630 PNG), drawn from the certificate's
 * standing now: a revoked or expired certificate's preview says so, whatever address it was asked for by.
 */
export async function certificatePreviewImage(certificateId: string): Promise<{ png: Buffer; etag: string }> {
  const c = await publicCertificate(certificateId)
  const png = await socialCardPng({
    kind: 'Certificate',
    title: c.holderName,
    subtitle: c.exam.title,
    facts: [`Issued ${longDate(c.issuedAt)} by ggml.ai`, `Valid until ${longDate(c.expiresAt)}`],
    verdict: c.verdict,
    tone: c.standing,
    seal: true,
  })
  return { png, etag: `"${createHash('sha256').update(png).digest('base64url').slice(0, 27)}"` }
}
