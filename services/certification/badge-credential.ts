import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { publicKeyMultibase, signCredential } from '../../certification-lab/credentials.ts'
import { appUrl, dataDir, env } from '../config/env.ts'
import { db } from '../db/client.ts'
import { AppError } from '../errors/app-error.ts'
import { singleton } from '../platform/singleton.ts'
import { assuranceOf, badgeLabel, badgeStanding, type BadgeSummary } from './badges.ts'
import { now } from '../platform/clock.ts'

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

export const keyId = () => `${appUrl()}/.well-known/ggml-badge-key.json#key-1`
const STATUS_LIST_BITS = 131_072 // the minimum size, so a list reveals little about how many badges exist

/** The platform's public key document, for anyone verifying a badge credential offline. */
export function publicKeyDocument() {
  return {
    '@context': ['https://www.w3.org/ns/cid/v1'],
    id: `${appUrl()}/.well-known/ggml-badge-key.json`,
    verificationMethod: [
      { id: keyId(), type: 'Multikey', controller: appUrl(), publicKeyMultibase: issuerKey().multibase },
    ],
    assertionMethod: [keyId()],
  }
}

/** The badge as an Open Badges 3.0 credential with an eddsa-jcs-2022 proof and a revocation status entry. */
export async function badgeCredential(badgeId: string) {
  const b = await db().certBadge.findUnique({ where: { id: badgeId } })
  if (!b) throw new AppError('not_found', 'No such badge.')
  const request = await db().certRequest.findUniqueOrThrow({ where: { id: b.requestId } })
  const s = b.summary as unknown as BadgeSummary
  const base = appUrl()
  const credential = {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
    id: `${base}/badges/${b.id}/credential.json`,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: { id: base, type: ['Profile'], name: 'ggml.ai' },
    name: 'Powered by GGML',
    validFrom: b.issuedAt.toISOString(),
    validUntil: badgeStanding(b).validUntil.toISOString(),
    credentialSubject: {
      type: ['AchievementSubject'],
      name: `${request.productName} (${request.sku})`,
      achievement: {
        id: `${base}/badges/achievement/powered-by-ggml`,
        type: ['Achievement'],
        name: 'Powered by GGML',
        description: badgeLabel(s),
        criteria: {
          narrative:
            `Measured with the real llama.cpp (llama-bench methodology). ${assuranceOf(b.assurance).label}: ` +
            `${assuranceOf(b.assurance).meaning}. Details: ${base}/badges/${b.id}`,
        },
      },
      result: [
        { type: ['Result'], name: `pp${s.pp.n}`, value: `${s.pp.ts.toFixed(1)} tokens/s ± ${s.pp.sd.toFixed(1)}` },
        { type: ['Result'], name: `tg${s.tg.n}`, value: `${s.tg.ts.toFixed(1)} tokens/s ± ${s.tg.sd.toFixed(1)}` },
        { type: ['Result'], name: 'assurance', value: assuranceOf(b.assurance).label },
      ],
    },
    credentialStatus: {
      id: `${base}/badges/status-list#${b.statusIndex}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: String(b.statusIndex),
      statusListCredential: `${base}/badges/status-list`,
    },
  }
  return signCredential(credential, issuerKey().privateKeyPem, keyId(), b.issuedAt.toISOString())
}

/** The revocation list: one bit per badge (1 = revoked), GZIP, base64url, as a signed credential. */
export async function statusListCredential() {
  const revoked = await db().certBadge.findMany({ where: { revokedAt: { not: null } }, select: { statusIndex: true } })
  const bits = Buffer.alloc(STATUS_LIST_BITS / 8)
  for (const { statusIndex } of revoked) bits[statusIndex >> 3]! |= 0x80 >> (statusIndex & 7)
  const base = appUrl()
  return signCredential(
    {
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      id: `${base}/badges/status-list`,
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      issuer: base,
      validFrom: now().toISOString(),
      credentialSubject: {
        id: `${base}/badges/status-list#list`,
        type: 'BitstringStatusList',
        statusPurpose: 'revocation',
        encodedList: `u${gzipSync(bits).toString('base64url')}`,
      },
    },
    issuerKey().privateKeyPem,
    keyId(),
    now().toISOString(),
  )
}

/** shields.io's endpoint badge JSON, so the badge renders anywhere shields does. */
export async function shieldsEndpoint(badgeId: string) {
  const b = await db().certBadge.findUnique({ where: { id: badgeId } })
  if (!b) throw new AppError('not_found', 'No such badge.')
  const { standing } = badgeStanding(b)
  return {
    schemaVersion: 1,
    label: 'Powered by GGML',
    message: standing === 'in force' ? badgeLabel(b.summary as unknown as BadgeSummary) : standing,
    color: standing === 'in force' ? 'blue' : 'lightgrey',
    labelColor: '26215c',
  }
}
