import { createHash, randomBytes } from 'node:crypto'

/** A secret for a link or cookie; only its SHA-256 is stored. */
export function newSecretToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString('base64url')
  return { token, tokenHash: sha256(token) }
}

export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex')
