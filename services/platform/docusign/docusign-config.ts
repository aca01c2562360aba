import { readFileSync } from 'node:fs'
import { env } from '../config/env.ts'
import { shared } from '../singleton.ts'

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
  /** Where signers are sent to sign (the page's Content-Security-Policy lets forms go there). */
  signingOrigins: string[]
}

const local = shared<DocuSignConfig | undefined>('local-docusign', undefined)

/** Without a DocuSign account configured, the local DocuSign server registers itself here at boot. */
export function registerLocalDocuSign(config: DocuSignConfig): void {
  local.value = config
}

export const isDocuSignConfigured = (): boolean => Boolean(env().DOCUSIGN_INTEGRATION_KEY)
/** Configured, or the local server is running in this process. */
export const isDocuSignAvailable = (): boolean => isDocuSignConfigured() || Boolean(local.value)

export function docusignConfig(): DocuSignConfig {
  const e = env()
  if (!e.DOCUSIGN_INTEGRATION_KEY) {
    if (local.value) return local.value
    throw new Error('DocuSign is not configured: set the DOCUSIGN_* settings (README, "Contracts and DocuSign").')
  }
  // env() checked that the group is complete.
  const privateKey = e.DOCUSIGN_PRIVATE_KEY ?? readFileSync(e.DOCUSIGN_PRIVATE_KEY_PATH!, 'utf8')
  return {
    integrationKey: e.DOCUSIGN_INTEGRATION_KEY,
    userId: e.DOCUSIGN_USER_ID!,
    accountId: e.DOCUSIGN_ACCOUNT_ID!,
    basePath: e.DOCUSIGN_BASE_PATH!,
    oAuthBasePath: e.DOCUSIGN_OAUTH_BASE_PATH!,
    privateKey,
    hmacKeys: e
      .DOCUSIGN_CONNECT_HMAC_KEYS!.split(',')
      .map((k) => k.trim())
      .filter(Boolean),
    caCert: e.DOCUSIGN_CA_CERT_PATH ? readFileSync(e.DOCUSIGN_CA_CERT_PATH, 'utf8') : undefined,
    // Embedded signing pages live on the account's docusign.net or docusign.com host (or, for the demo's
    // local server in a process of its own, wherever DOCUSIGN_SIGNING_ORIGINS says).
    signingOrigins: e.DOCUSIGN_SIGNING_ORIGINS?.map((o) => new URL(o).origin) ?? [
      'https://*.docusign.net',
      'https://*.docusign.com',
    ],
  }
}
