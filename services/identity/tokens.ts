import { createHash, randomBytes } from 'node:crypto'
import { macOf } from '../platform/security/platform-secret.ts'

/** A secret for a link or cookie; only its SHA-256 is stored. */
export function newSecretToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString('base64url')
  return { token, tokenHash: sha256(token) }
}

/** The secret of an emailed link: a MAC of the row it opens, so only the row id and the hash are stored. */
export const linkToken = (purpose: 'reset-link' | 'invitation-link' | 'email-verification', rowId: string): string =>
  macOf(purpose, rowId)

export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex')
