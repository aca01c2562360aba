import { describe, expect, it } from 'vitest'
import { badgeVerdict } from './badge-verdict.ts'

const badge = {
  product: 'Desktop Mainboard AI Max+ 395',
  assuranceLabel: 'Self-measured',
  validUntil: '2027-12-07T10:00:00Z',
  revokedAt: null,
  summary: {
    shape: '7b',
    type: 'Q4_0',
    pp: { n: 512, ts: 612.4, sd: 3.1 },
    tg: { n: 128, ts: 41.8, sd: 0.2 },
    cpu: 'AMD RYZEN AI MAX+ 395',
    backends: ['CPU', 'Vulkan'],
  },
}

describe('a badge’s verdict in one line', () => {
  const checkedAt = new Date('2026-12-07T12:00:00Z')
  it('names what was measured, on what, at which assurance level, and that it stands', () => {
    expect(badgeVerdict({ ...badge, standing: 'in force' }, checkedAt).line).toBe(
      'Verified: 7B-class Q4_0 generates 41.8 tokens/s (prompt processing 612 tokens/s) on Desktop Mainboard ' +
        'AI Max+ 395 (AMD RYZEN AI MAX+ 395, Vulkan) · Self-measured · valid until 7 December 2027',
    )
  })
  it('starts with the revocation, and never calls a revoked badge verified', () => {
    const v = badgeVerdict({ ...badge, standing: 'revoked', revokedAt: '2026-12-05T08:00:00Z' }, checkedAt)
    expect(v.tone).toBe('revoked')
    expect(v.line).toMatch(/^Revoked on 5 December 2026: 7B-class Q4_0 generates 41\.8 tokens\/s/)
    expect(v.line).not.toMatch(/verified|valid until/i)
  })
  it('says when an expired badge ran out', () => {
    expect(badgeVerdict({ ...badge, standing: 'expired' }, checkedAt).line).toMatch(/^Expired on 7 December 2027: /)
  })
})
