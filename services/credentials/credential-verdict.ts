import type { CredentialTone } from './social-card.ts'

/** "7 December 2026": a date as people write it, in UTC so every reader and renderer sees the same day. */
export const longDate = (at: Date | string): string =>
  new Date(at).toLocaleDateString('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' })

/**
 * Whether a credential stands, in words, as of `checkedAt`: the same sentence on the page, in the PDF and in
 * the preview image, so none of them can call a revoked or expired credential valid.
 */
export function standingVerdict(c: {
  standing: CredentialTone
  revokedAt: Date | string | null
  expiresAt: Date | string
  checkedAt: Date
}): { tone: CredentialTone; words: string } {
  if (c.standing === 'revoked') return { tone: 'revoked', words: `Revoked on ${longDate(c.revokedAt ?? c.checkedAt)}` }
  if (c.standing === 'expired') return { tone: 'expired', words: `Expired on ${longDate(c.expiresAt)}` }
  return { tone: 'valid', words: `Valid — verified by ggml on ${longDate(c.checkedAt)}` }
}
