import { createHash } from 'node:crypto'

export const GENESIS_HASH = '0'.repeat(64)

export interface HashableAuditEvent {
  seq: bigint
  occurredAt: Date
  actorUserId: string | null
  actorEmail: string | null
  organizationId: string | null
  action: string
  targetType: string
  targetId: string | null
  changes: unknown
  requestId: string | null
  ip: string | null
  prevHash: string
}

// JSONB does not keep key order, so the hash is over a key-sorted rendering.
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null)
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  // Sorted as Object.keys(…).sort() sorts: by UTF-16 code units.
  return `{${Object.entries(value)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`)
    .join(',')}}`
}

export function auditEventHash(e: HashableAuditEvent): string {
  const body = canonicalJson([
    e.seq.toString(),
    e.occurredAt.toISOString(),
    e.actorUserId,
    e.actorEmail,
    e.organizationId,
    e.action,
    e.targetType,
    e.targetId,
    e.changes,
    e.requestId,
    e.ip,
    e.prevHash,
  ])
  return createHash('sha256').update(e.prevHash).update(body).digest('hex')
}
