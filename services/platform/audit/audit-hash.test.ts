import { describe, expect, it } from 'vitest'
import { auditEventHash, GENESIS_HASH } from './audit-hash.ts'
import { canonicalJson } from '../../kernel/canonical-json.ts'

describe('audit hashing', () => {
  it('renders JSON with sorted keys, so JSONB’s reordering does not change the hash', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}',
    )
  })

  it('changes when any field or the previous hash changes', () => {
    const e = {
      seq: 1n,
      occurredAt: new Date('2026-01-01T00:00:00.000Z'),
      actorUserId: 'u',
      actorEmail: 'u@x',
      organizationId: 'o',
      action: 'a',
      targetType: 't',
      targetId: 'id',
      changes: { x: 1 },
      requestId: 'r',
      ip: '127.0.0.1',
      prevHash: GENESIS_HASH,
    }
    const h = auditEventHash(e)
    expect(h).toMatch(/^[0-9a-f]{64}$/)
    expect(auditEventHash({ ...e, changes: { x: 2 } })).not.toBe(h)
    expect(auditEventHash({ ...e, prevHash: 'f'.repeat(64) })).not.toBe(h)
    expect(auditEventHash({ ...e, seq: 2n })).not.toBe(h)
  })
})
