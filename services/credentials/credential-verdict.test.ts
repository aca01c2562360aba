import { describe, expect, it } from 'vitest'
import { longDate, standingVerdict } from './credential-verdict.ts'

describe('a credential’s standing in words', () => {
  const checkedAt = new Date('2026-12-07T23:30:00Z')
  it('says valid, and when ggml checked, only for a credential that stands', () => {
    expect(standingVerdict({ standing: 'valid', revokedAt: null, expiresAt: '2028-12-01', checkedAt })).toEqual({
      tone: 'valid',
      words: 'Valid — verified by ggml on 7 December 2026',
    })
  })
  it('says revoked with the day it was revoked, never valid', () => {
    const v = standingVerdict({
      standing: 'revoked',
      revokedAt: '2026-12-05T10:00:00Z',
      expiresAt: '2028-12-01',
      checkedAt,
    })
    expect(v).toEqual({ tone: 'revoked', words: 'Revoked on 5 December 2026' })
  })
  it('says expired with the day it ran out', () => {
    expect(
      standingVerdict({ standing: 'expired', revokedAt: null, expiresAt: '2026-06-01T00:00:00Z', checkedAt }),
    ).toEqual({ tone: 'expired', words: 'Expired on 1 June 2026' })
  })
  it('writes dates in UTC whatever the machine’s zone', () => {
    expect(longDate('2026-12-31T23:59:59Z')).toBe('31 December 2026')
  })
})
