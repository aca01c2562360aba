import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { publicKeyMultibase, signCredential } from '../../certification-lab/credentials.ts'
import { appUrl, dataDir, env } from '../platform/config/env.ts'
import { singleton } from '../platform/singleton.ts'

/**
 * The one credential issuer: hardware badges and exam certificates are signed with this key, carry
 * the same eddsa-jcs-2022 proof and sit on the same revocation status list (decision 016).
 */

/** The platform's badge-issuing key: CERT_ISSUER_KEY (PEM) in production, else one kept in .data (0600). */
export function issuerKey(): { privateKeyPem: string; multibase: string } {
  return singleton('cert-issuer-key', () => {
    let pem = env().CERT_ISSUER_KEY
    if (!pem) {
      const file = path.join(dataDir(), 'cert-issuer-key.pem')
      if (!existsSync(file)) {
        mkdirSync(path.dirname(file), { recursive: true })
        writeFileSync(file, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }), {
          mode: 0o600,
        })
      }
      pem = readFileSync(file, 'utf8')
    }
    return { privateKeyPem: pem, multibase: publicKeyMultibase(createPublicKey(createPrivateKey(pem))) }
  })
}

/** A key's id names the key itself, so a rotated key keeps its id and its credentials stay verifiable. */
export const keyIdFor = (multibase: string) => `${appUrl()}/.well-known/ggml-badge-key.json#${multibase}`
export const keyId = () => keyIdFor(issuerKey().multibase)

/**
 * The platform's public keys, for anyone verifying a badge or certificate offline: the current key
 * first, then keys rotated out (CERT_ISSUER_RETIRED_KEYS), which still verify what they signed.
 */
export function publicKeyDocument() {
  const keys = [issuerKey().multibase, ...env().CERT_ISSUER_RETIRED_KEYS.filter((k) => k !== issuerKey().multibase)]
  return {
    '@context': ['https://www.w3.org/ns/cid/v1'],
    id: `${appUrl()}/.well-known/ggml-badge-key.json`,
    verificationMethod: keys.map((k) => ({
      id: keyIdFor(k),
      type: 'Multikey',
      controller: appUrl(),
      publicKeyMultibase: k,
    })),
    assertionMethod: keys.map(keyIdFor),
  }
}

/** Signs a credential with the platform's key (Data Integrity eddsa-jcs-2022). */
export function signPlatformCredential<T extends Record<string, unknown>>(credential: T, created: Date) {
  return signCredential(credential, issuerKey().privateKeyPem, keyId(), created.toISOString())
}

/** Where a credential's revocation bit lives on the platform's one status list. */
export function statusEntry(statusIndex: number) {
  const base = appUrl()
  return {
    id: `${base}/badges/status-list#${statusIndex}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: 'revocation',
    statusListIndex: String(statusIndex),
    statusListCredential: `${base}/badges/status-list`,
  }
}
