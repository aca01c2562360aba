import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { purposeKey } from '../platform/security/platform-secret.ts'

// TOTP secrets are stored sealed (AES-256-GCM under the platform's "totp" key): a database dump
// alone does not let anyone mint codes.
export function sealTotpSecret(secret: string): string {
  const iv = randomBytes(12)
  const c = createCipheriv('aes-256-gcm', purposeKey('totp'), iv)
  const body = Buffer.concat([c.update(secret, 'utf8'), c.final()])
  return `v1.${iv.toString('base64url')}.${body.toString('base64url')}.${c.getAuthTag().toString('base64url')}`
}

export function openTotpSecret(sealed: string): string {
  const [v, iv, body, tag] = sealed.split('.')
  if (v !== 'v1' || !iv || !body || !tag) throw new Error('not a sealed TOTP secret')
  const d = createDecipheriv('aes-256-gcm', purposeKey('totp'), Buffer.from(iv, 'base64url'))
  d.setAuthTag(Buffer.from(tag, 'base64url'))
  return Buffer.concat([d.update(Buffer.from(body, 'base64url')), d.final()]).toString('utf8')
}
