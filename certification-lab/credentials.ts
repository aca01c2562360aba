import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto'
import { canonicalJson } from './signing.ts'

/**
 * Verifiable credentials for badges: W3C VC 2.0 / Open Badges 3.0 shape, secured with a Data
 * Integrity proof using the eddsa-jcs-2022 cryptosuite (JCS canonical JSON, SHA-256, Ed25519,
 * base58btc multibase). Anyone can verify one offline with the platform's published key.
 */
const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'

export function base58btc(bytes: Uint8Array): string {
  let n = BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`)
  let out = ''
  while (n > 0n) {
    out = ALPHABET[Number(n % 58n)] + out
    n /= 58n
  }
  for (const b of bytes) {
    if (b !== 0) break
    out = `1${out}`
  }
  return out
}

export function fromBase58btc(text: string): Buffer {
  let n = 0n
  for (const c of text) {
    const i = ALPHABET.indexOf(c)
    if (i < 0) throw new Error('not base58btc')
    n = n * 58n + BigInt(i)
  }
  let hex = n.toString(16)
  if (hex.length % 2) hex = `0${hex}`
  const zeros = text.match(/^1*/)![0].length
  return Buffer.concat([Buffer.alloc(zeros), n === 0n ? Buffer.alloc(0) : Buffer.from(hex, 'hex')])
}

/** Ed25519 public key as a Multikey (multicodec 0xed01, base58btc): "z6Mk…". */
export function publicKeyMultibase(publicKey: KeyObject): string {
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url')
  return `z${base58btc(Buffer.concat([Buffer.from([0xed, 0x01]), raw]))}`
}

function publicKeyFromMultibase(multibase: string): KeyObject {
  const bytes = fromBase58btc(multibase.slice(1))
  if (multibase[0] !== 'z' || bytes[0] !== 0xed || bytes[1] !== 0x01) throw new Error('not an Ed25519 Multikey')
  return createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: bytes.subarray(2).toString('base64url') },
    format: 'jwk',
  })
}

const sha256 = (s: string) => createHash('sha256').update(s).digest()

export interface Proof {
  type: 'DataIntegrityProof'
  cryptosuite: 'eddsa-jcs-2022'
  created: string
  verificationMethod: string
  proofPurpose: 'assertionMethod'
  proofValue?: string
}

export function signCredential<T extends Record<string, unknown>>(
  credential: T,
  privateKeyPem: string,
  verificationMethod: string,
  created: string,
): T & { proof: Proof } {
  const { proof: _ignored, ...unsecured } = credential as T & { proof?: unknown }
  const proofConfig: Proof = {
    type: 'DataIntegrityProof',
    cryptosuite: 'eddsa-jcs-2022',
    created,
    verificationMethod,
    proofPurpose: 'assertionMethod',
  }
  const hashData = Buffer.concat([
    sha256(canonicalJson({ ...proofConfig, '@context': unsecured['@context'] })),
    sha256(canonicalJson(unsecured)),
  ])
  const signature = sign(null, hashData, createPrivateKey(privateKeyPem))
  return { ...(unsecured as T), proof: { ...proofConfig, proofValue: `z${base58btc(signature)}` } }
}

/** Offline check: the proof verifies against the key, and not one byte of the credential changed. */
export function verifyCredential(credential: Record<string, unknown>, keyMultibase: string): boolean {
  try {
    const { proof, ...unsecured } = credential as { proof?: Proof } & Record<string, unknown>
    if (!proof || proof.cryptosuite !== 'eddsa-jcs-2022' || !proof.proofValue?.startsWith('z')) return false
    const { proofValue, ...proofConfig } = proof
    const hashData = Buffer.concat([
      sha256(canonicalJson({ ...proofConfig, '@context': unsecured['@context'] })),
      sha256(canonicalJson(unsecured)),
    ])
    return verify(null, hashData, publicKeyFromMultibase(keyMultibase), fromBase58btc(proofValue.slice(1)))
  } catch {
    return false
  }
}
