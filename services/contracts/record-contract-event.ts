import { recordAuditEvent, auditActorOf } from '../platform/audit/record-audit-event.ts'
import { newId } from '../platform/db/ids.ts'
import type { TenantScope } from '../tenancy/tenant-guard.ts'
import type { Tx } from '../platform/db/client.ts'
import { toJsonColumn } from '../platform/db/json-column.ts'

/** The contract's own history and the platform's audit log, written in the caller's transaction. */
export async function recordContractEvent(
  tx: Tx,
  scope: TenantScope,
  e: {
    contractId: string
    versionId?: string
    type: string
    reason?: string
    details?: Record<string, unknown>
    audit?: Record<string, unknown>
  },
): Promise<void> {
  const system = scope.actor.userId === 'system'
  await tx.contractEvent.create({
    data: {
      id: newId(),
      organizationId: scope.organization.id,
      contractId: e.contractId,
      contractVersionId: e.versionId,
      type: e.type,
      actorUserId: system ? null : scope.actor.userId,
      actorEmail: system ? null : scope.actor.email,
      reason: e.reason,
      details: toJsonColumn(e.details ?? {}),
    },
  })
  await recordAuditEvent(tx, {
    actor: auditActorOf(scope),
    organizationId: scope.organization.id,
    action: `contract.${e.type}`,
    targetType: e.versionId ? 'contract_version' : 'contract',
    targetId: e.versionId ?? e.contractId,
    changes: { ...(e.audit ?? {}), ...(e.reason ? { reason: e.reason } : {}), ...(system ? { by: 'system' } : {}) },
  })
}
