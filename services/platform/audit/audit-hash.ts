import { createHash } from 'node:crypto'
import { canonicalJson } from '../../kernel/canonical-json.ts'

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
