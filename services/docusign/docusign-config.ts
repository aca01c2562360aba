import { readFileSync } from 'node:fs'
import { z } from 'zod'

// Read at first use (not with the core environment) because the local DocuSign server, started at
// boot when DocuSign is not configured, fills these in.
const schema = z.object({
  DOCUSIGN_INTEGRATION_KEY: z.string().min(1),
  DOCUSIGN_USER_ID: z.string().min(1),
  DOCUSIGN_ACCOUNT_ID: z.string().min(1),
  DOCUSIGN_BASE_PATH: z.url(),
  DOCUSIGN_OAUTH_BASE_PATH: z.string().min(1),
  DOCUSIGN_PRIVATE_KEY: z.string().min(1).optional(),
  DOCUSIGN_PRIVATE_KEY_PATH: z.string().min(1).optional(),
  DOCUSIGN_CONNECT_HMAC_KEYS: z.string().min(1),
  DOCUSIGN_CA_CERT_PATH: z.string().min(1).optional(),
})

export interface DocuSignConfig {
  integrationKey: string
  userId: string
  accountId: string
  basePath: string
  oAuthBasePath: string
  privateKey: string
  /** Connect HMAC keys, comma-separated in the environment; any one may sign a delivery. */
  hmacKeys: string[]
  /** Extra CA to trust: only for the local DocuSign server's self-signed certificate. */
  caCert?: string
}

export const isDocuSignConfigured = (): boolean => Boolean(process.env.DOCUSIGN_INTEGRATION_KEY)

export function docusignConfig(): DocuSignConfig {
  const parsed = schema.safeParse(process.env)
  if (!parsed.success) {
    throw new Error(
      `DocuSign is not configured: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    )
  }
  const e = parsed.data
  const privateKey =
    e.DOCUSIGN_PRIVATE_KEY?.replaceAll('\\n', '\n') ??
    (e.DOCUSIGN_PRIVATE_KEY_PATH ? readFileSync(e.DOCUSIGN_PRIVATE_KEY_PATH, 'utf8') : undefined)
  if (!privateKey)
    throw new Error(
      'DocuSign is not configured: set DOCUSIGN_PRIVATE_KEY or DOCUSIGN_PRIVATE_KEY_PATH (the integration key’s ' +
        'RSA private key).',
    )
  return {
    integrationKey: e.DOCUSIGN_INTEGRATION_KEY,
    userId: e.DOCUSIGN_USER_ID,
    accountId: e.DOCUSIGN_ACCOUNT_ID,
    basePath: e.DOCUSIGN_BASE_PATH,
    oAuthBasePath: e.DOCUSIGN_OAUTH_BASE_PATH,
    privateKey,
    hmacKeys: e.DOCUSIGN_CONNECT_HMAC_KEYS.split(',')
      .map((k) => k.trim())
      .filter(Boolean),
    caCert: e.DOCUSIGN_CA_CERT_PATH ? readFileSync(e.DOCUSIGN_CA_CERT_PATH, 'utf8') : undefined,
  }
}
