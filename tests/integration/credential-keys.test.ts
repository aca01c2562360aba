import { createPublicKey, generateKeyPairSync } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import { publicKeyMultibase, signCredential, verifyCredential } from '../../certification-lab/credentials.ts'
import { reloadEnv } from '../../services/platform/config/env.ts'
import { keyIdFor, publicKeyDocument, signPlatformCredential } from '../../services/credentials/issuer-key.ts'

const pemOf = () => generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
const multibaseOf = (pem: string) => publicKeyMultibase(createPublicKey(pem))
const saved = { key: process.env.CERT_ISSUER_KEY, retired: process.env.CERT_ISSUER_RETIRED_KEYS }
afterAll(() => {
  process.env.CERT_ISSUER_KEY = saved.key
  process.env.CERT_ISSUER_RETIRED_KEYS = saved.retired
  if (saved.key === undefined) delete process.env.CERT_ISSUER_KEY
  if (saved.retired === undefined) delete process.env.CERT_ISSUER_RETIRED_KEYS
  reloadEnv()
})

describe('rotating the credential issuer key', () => {
  it('keeps a retired key published under its own id: what it signed verifies; new credentials use the new key', () => {
    // A credential signed before the rotation, with the key that was current then.
    const oldPem = pemOf()
    const oldKey = multibaseOf(oldPem)
    const earlier = signCredential(
      { id: 'urn:earlier', name: 'GGML Certified Engineer' },
      oldPem,
      keyIdFor(oldKey),
      '2026-01-01T00:00:00Z',
    )
    // The rotation: a new key signs, the old one is listed as retired.
    const newPem = pemOf()
    process.env.CERT_ISSUER_KEY = newPem
    process.env.CERT_ISSUER_RETIRED_KEYS = oldKey
    reloadEnv()
    const doc = publicKeyDocument()
    expect(doc.verificationMethod.map((m) => m.publicKeyMultibase)).toEqual([multibaseOf(newPem), oldKey])
    expect(doc.assertionMethod).toEqual(doc.verificationMethod.map((m) => m.id))
    const keyFor = (c: { proof: { verificationMethod: string } }) =>
      doc.verificationMethod.find((m) => m.id === c.proof.verificationMethod)!.publicKeyMultibase
    expect(verifyCredential(earlier, keyFor(earlier))).toBe(true)
    const later = signPlatformCredential({ id: 'urn:later', name: 'GGML Certified Engineer' }, new Date('2027-01-01'))
    expect(later.proof.verificationMethod).toBe(keyIdFor(multibaseOf(newPem)))
    expect(verifyCredential(later, keyFor(later))).toBe(true)
    expect(verifyCredential(later, oldKey)).toBe(false)
  })

  it('refuses a retired key that is not an Ed25519 multibase key, naming the variable', () => {
    process.env.CERT_ISSUER_RETIRED_KEYS = 'not-a-key'
    expect(() => reloadEnv()).toThrow(/CERT_ISSUER_RETIRED_KEYS/)
    process.env.CERT_ISSUER_RETIRED_KEYS = ''
    reloadEnv()
  })
})
