import { describe, expect, it } from 'vitest'
import { base32Decode, base32Encode, hotp, totpAt, verifyTotp } from './totp.ts'

// RFC 6238 appendix B, SHA-1: the secret is the ASCII "12345678901234567890".
const RFC_SECRET = base32Encode(Buffer.from('12345678901234567890'))

describe('TOTP', () => {
  it('matches the RFC 4226 and RFC 6238 test vectors', () => {
    expect(hotp(RFC_SECRET, 0)).toBe('755224')
    expect(hotp(RFC_SECRET, 9)).toBe('520489')
    // RFC 6238 lists 8 digits; the last 6 are what a 6-digit app shows.
    expect(totpAt(RFC_SECRET, 59_000)).toBe('287082')
    expect(totpAt(RFC_SECRET, 1_111_111_109_000)).toBe('081804')
    expect(totpAt(RFC_SECRET, 2_000_000_000_000)).toBe('279037')
    expect(base32Decode(RFC_SECRET).toString()).toBe('12345678901234567890')
  })

  it('accepts a step either side, refuses older ones and a code used before', () => {
    const t = 1_111_111_109_000
    const step = Math.floor(t / 30_000)
    expect(verifyTotp(RFC_SECRET, totpAt(RFC_SECRET, t), t, null)).toBe(step)
    expect(verifyTotp(RFC_SECRET, totpAt(RFC_SECRET, t - 30_000), t, null)).toBe(step - 1)
    expect(verifyTotp(RFC_SECRET, totpAt(RFC_SECRET, t - 60_000), t, null)).toBeNull()
    expect(verifyTotp(RFC_SECRET, totpAt(RFC_SECRET, t), t, step)).toBeNull()
    expect(verifyTotp(RFC_SECRET, '12345', t, null)).toBeNull()
    expect(verifyTotp(RFC_SECRET, '000000', t, null)).toBeNull()
  })
})
