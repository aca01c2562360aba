import { generateKeyPairSync } from 'node:crypto'
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
