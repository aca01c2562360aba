import { gzipSync } from 'node:zlib'
import { appUrl } from '../platform/config/env.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { now } from '../platform/clock.ts'
import { signPlatformCredential } from './issuer-key.ts'

const STATUS_LIST_BITS = 131_072 // the minimum size, so a list reveals little about how many credentials exist

/** The revocation list: one bit per badge or certificate (1 = revoked), GZIP, base64url, as a signed credential. */
export async function statusListCredential() {
  // Badges and certificates draw their indices from one sequence, so one list holds both.
  const revoked = [
    ...(await unscopedDb('public page').certBadge.findMany({
      where: { revokedAt: { not: null } },
      select: { statusIndex: true },
    })),
    ...(await unscopedDb('public page').certificate.findMany({
      where: { revokedAt: { not: null } },
      select: { statusIndex: true },
    })),
  ]
  const bits = Buffer.alloc(STATUS_LIST_BITS / 8)
  for (const { statusIndex } of revoked) bits[statusIndex >> 3]! |= 0x80 >> (statusIndex & 7)
  const base = appUrl()
  return signPlatformCredential(
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
    now(),
  )
}
