import type { Tx } from '../db/client.ts'
import { metrics } from '../observability/metrics.ts'
import { currentRequest } from '../observability/request-context.ts'
import { auditEventHash, GENESIS_HASH } from './audit-hash.ts'
import { now } from '../clock.ts'
import { toJsonColumn } from '../db/json-column.ts'

// One advisory lock serialises appends, so each row links to the row committed just before it.
const AUDIT_CHAIN_LOCK = 0x6a4d4c01

export interface AuditEntry {
  /** onBehalfOf: ggml staff acting inside another organization (the tenancy guard knows). */
  actor: { userId: string; email: string; onBehalfOf?: string } | null
  organizationId: string | null
  action: string
  targetType: string
  targetId?: string | null
  changes?: Record<string, unknown>
}

/** Who the audit log names for a scope's actor: the person, or nobody for the platform's own work. */
export const auditActorOf = (scope: {
  actor: { userId: string; email: string }
  onBehalf?: boolean
  organization?: { slug: string }
}): AuditEntry['actor'] =>
  scope.actor.userId === 'system'
    ? null
    : {
        userId: scope.actor.userId,
        email: scope.actor.email,
        ...(scope.onBehalf && scope.organization ? { onBehalfOf: scope.organization.slug } : {}),
      }

/** Call inside the transaction of the mutation it records: both commit or neither does. */
export type AuditTx = Pick<Tx, '$executeRaw' | '$queryRaw' | 'auditEvent'>

export async function recordAuditEvent(tx: AuditTx, entry: AuditEntry): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`
  const last = await tx.auditEvent.findFirst({ orderBy: { seq: 'desc' }, select: { hash: true } })
  const [{ seq }] = await tx.$queryRaw<
    [{ seq: bigint }]
  >`SELECT nextval(pg_get_serial_sequence('"AuditEvent"', 'seq')) AS seq`
  const req = currentRequest()
  const row = {
    seq,
    occurredAt: now(),
    actorUserId: entry.actor?.userId ?? null,
    actorEmail: entry.actor?.email ?? null,
    organizationId: entry.organizationId,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId ?? null,
    changes: entry.actor?.onBehalfOf
      ? { ...entry.changes, actingOnBehalfOf: entry.actor.onBehalfOf }
      : (entry.changes ?? {}),
    requestId: req?.requestId ?? null,
    ip: req?.ip ?? null,
    prevHash: last?.hash ?? GENESIS_HASH,
  }
  await tx.auditEvent.create({
    data: { ...row, changes: toJsonColumn(row.changes), hash: auditEventHash(row) },
  })
  metrics().auditEvents.inc({ action: entry.action })
}
