import { createPrivateKey, generateKeyPairSync } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { base58btc, fromBase58btc, publicKeyMultibase, signCredential, verifyCredential } from './credentials.ts'

describe('badge credentials', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  const credential = {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
    id: 'https://platform.example/badges/1/credential',
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: { id: 'https://platform.example', type: ['Profile'], name: 'ggml.ai' },
    validFrom: '2026-11-26T00:00:00Z',
    credentialSubject: {
      type: ['AchievementSubject'],
      name: 'Kestrel Edge Box 2',
      result: [{ test: 'tg128', tokensPerSecond: '41.8' }],
    },
  }

  it('round-trips base58btc and publishes the key as an Ed25519 Multikey', () => {
    for (const bytes of [Buffer.from([0, 0, 1, 2, 255]), Buffer.from('hello'), Buffer.alloc(0)])
      expect(fromBase58btc(base58btc(bytes))).toEqual(bytes)
    expect(publicKeyMultibase(publicKey)).toMatch(/^z6Mk/)
  })

  it('verifies offline, and fails after one byte changes or with another key', () => {
    const signed = signCredential(
      credential,
      pem,
      'https://platform.example/.well-known/ggml-badge-key.json#key-1',
      '2026-11-26T00:00:00Z',
    )
    const key = publicKeyMultibase(publicKey)
    expect(verifyCredential(JSON.parse(JSON.stringify(signed)), key)).toBe(true)
    const text = JSON.stringify(signed)
    const tampered = JSON.parse(text.replace('41.8', '41.9'))
    expect(verifyCredential(tampered, key)).toBe(false)
    const otherKey = publicKeyMultibase(generateKeyPairSync('ed25519').publicKey)
    expect(verifyCredential(signed, otherKey)).toBe(false)
  })
})

// The W3C specification's own test vector (vc-di-eddsa, TestVectors/eddsa-jcs-2022/signedJCS.json,
// with TestVectors/keyPair.json): our verifier accepts it, and our signer, given the same key,
// writes the same proofValue (Ed25519 is deterministic).
describe('eddsa-jcs-2022, against the W3C test vector', () => {
  const publicKeyMultibase = 'z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2'
  const privateKeyMultibase = 'z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq'
  const unsecured = {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://www.w3.org/ns/credentials/examples/v2'],
    id: 'urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33',
    type: ['VerifiableCredential', 'AlumniCredential'],
    name: 'Alumni Credential',
    description: 'A minimum viable example of an Alumni Credential.',
    issuer: 'https://vc.example/issuers/5678',
    validFrom: '2023-01-01T00:00:00Z',
    credentialSubject: { id: 'did:example:abcdefgh', alumniOf: 'The School of Examples' },
  }
  const proof = {
    type: 'DataIntegrityProof',
    cryptosuite: 'eddsa-jcs-2022',
    created: '2023-02-24T23:36:38Z',
    verificationMethod: `https://vc.example/issuers/5678#${publicKeyMultibase}`,
    proofPurpose: 'assertionMethod',
    '@context': unsecured['@context'],
    proofValue: 'z63t83Y53KfzJ5ZosfKTnqfMcKB2dmTrfjSaQjeNNjAD5srBowQfmWqeRb8rRjmeEuCBEsddF9LsVogtuTsijJKh4',
  }

  it('verifies the specification’s signed credential, and not after a change', () => {
    expect(verifyCredential({ ...unsecured, proof }, publicKeyMultibase)).toBe(true)
    expect(verifyCredential({ ...unsecured, name: 'Alumni Credentials', proof }, publicKeyMultibase)).toBe(false)
  })

  it('signs it to the same proofValue with the specification’s key', () => {
    // Multikey secret: multicodec 0x8026 (ed25519-priv), then the 32-byte seed.
    const secret = fromBase58btc(privateKeyMultibase.slice(1))
    expect([secret[0], secret[1]]).toEqual([0x80, 0x26])
    const publicRaw = fromBase58btc(publicKeyMultibase.slice(1)).subarray(2)
    const pem = createPrivateKey({
      key: {
        kty: 'OKP',
        crv: 'Ed25519',
        d: secret.subarray(2).toString('base64url'),
        x: publicRaw.toString('base64url'),
      },
      format: 'jwk',
    })
      .export({ type: 'pkcs8', format: 'pem' })
      .toString()
    const signed = signCredential(unsecured, pem, proof.verificationMethod, proof.created)
    expect(signed.proof.proofValue).toBe(proof.proofValue)
  })
})
