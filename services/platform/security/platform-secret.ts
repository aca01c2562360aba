import { createHmac, hkdfSync, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { dataDir, env } from '../config/env.ts'
import { logger } from '../observability/logger.ts'
import { singleton } from '../singleton.ts'

export type SecretPurpose =
  | 'csrf'
  | 'reset-link'
  | 'invitation-link'
  | 'email-verification'
  | 'totp'
  | 'domain-verification'
  | 'exam-choice'
  | 'webhook-secret'

/**
 * The root secret: SESSION_SECRET (required in production, where it must survive deploys), else one
 * generated once and kept in DATA_DIR (0600) so the demo's sessions and links survive restarts.
 */
function rootSecret(): Buffer {
  return singleton('platform-root-secret', () => {
    const configured = env().SESSION_SECRET
    if (configured) return Buffer.from(configured)
    const file = path.join(dataDir(), 'session-secret')
    if (!existsSync(file)) {
      mkdirSync(path.dirname(file), { recursive: true })
      writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600 })
      logger().info({ file }, 'SESSION_SECRET is not set: generated one for this machine (set it in production)')
    }
    return Buffer.from(readFileSync(file, 'utf8').trim())
  })
}

/** One key per purpose (HKDF-SHA256), so a key leaked from one use says nothing about another. */
export function purposeKey(purpose: SecretPurpose): Buffer {
  return singleton(`purpose-key:${purpose}`, () =>
    Buffer.from(hkdfSync('sha256', rootSecret(), Buffer.alloc(0), `ggml-platform:${purpose}`, 32)),
  )
}

export const macOf = (purpose: SecretPurpose, message: string): string =>
  createHmac('sha256', purposeKey(purpose)).update(message).digest('base64url')
