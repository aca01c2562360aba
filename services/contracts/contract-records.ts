import { createHash } from 'node:crypto'
import { recordAuditEvent } from '../audit/record-audit-event.ts'
import type { Tx } from '../db/client.ts'
import { db } from '../db/client.ts'
import type { ContractStatus } from '../db/generated/enums.ts'
import { newId } from '../db/ids.ts'
import { AppError } from '../errors/app-error.ts'
import type { Actor } from '../identity/actor.ts'
import type { Permission } from '../identity/permissions.ts'
import { tenantScope, type TenantScope } from '../tenancy/tenant-guard.ts'
import { canonicalJson } from '../audit/audit-hash.ts'
import type { ContractTerms } from './contract-terms.ts'

/** "GGML-2026-0007": the number partners and finance quote. */
export const contractNumber = (seq: number, createdAt: Date): string =>
  `GGML-${createdAt.getUTCFullYear()}-${String(seq).padStart(4, '0')}`

export const termsSha256 = (terms: ContractTerms): string =>
  createHash('sha256').update(canonicalJson(terms)).digest('hex')

/** Staff routes address a contract by id; this finds its organization and opens the tenancy guard there. */
export async function contractScope(
  actor: Actor,
  contractId: string,
  permission: Permission,
): Promise<TenantScope & { contractId: string }> {
  const row = await db().contract.findUnique({ where: { id: contractId }, select: { organizationId: true } })
  if (!row) throw new AppError('not_found', 'No such contract, or you do not have access to it.')
  const scope = await tenantScope(actor, { id: row.organizationId }, permission)
  return { ...scope, contractId }
}

export type ScopedTx = Tx

/** The contract's own history and the platform's audit log, written in the caller's transaction. */
export async function recordContractEvent(
  tx: ScopedTx,
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
      details: (e.details ?? {}) as object,
    },
  })
  await recordAuditEvent(tx, {
    actor: system ? null : { userId: scope.actor.userId, email: scope.actor.email },
    organizationId: scope.organization.id,
    action: `contract.${e.type}`,
    targetType: e.versionId ? 'contract_version' : 'contract',
    targetId: e.versionId ?? e.contractId,
    changes: { ...(e.audit ?? {}), ...(e.reason ? { reason: e.reason } : {}), ...(system ? { by: 'system' } : {}) },
  })
}

export interface VersionLike {
  state: string
  terms: unknown
  version: number
}

/**
 * The agreement's status from its versions and the date: before any signature it follows the
 * newest version through approval and signing; once signed, the dates decide (automatic renewals
 * extend the term), and termination is final.
 */
export function deriveContractStatus(
  contract: { terminatedAt: Date | null },
  versions: VersionLike[],
  today: string,
): ContractStatus {
  if (contract.terminatedAt) return 'terminated'
  const signed = versions.filter((v) => v.state === 'signed').sort((a, b) => b.version - a.version)
  if (!signed.length) {
    const newest = [...versions].sort((a, b) => b.version - a.version)[0]
    return (newest?.state ?? 'draft') as ContractStatus
  }
  const terms = signed[0]!.terms as ContractTerms
  const start = signed.map((v) => (v.terms as ContractTerms).term.start).sort()[0]!
  if (today < start) return 'signed'
  return today <= currentTermEnd(terms, today) ? 'active' : 'expired'
}

/** The end of the term, rolled forward by automatic renewals up to the period containing today. */
export function currentTermEnd(t: ContractTerms, today: string): string {
  let end = t.term.end
  if (t.term.renewal.kind !== 'automatic') return end
  const months = t.term.renewal.periodMonths
  while (end < today) end = addMonths(end, months)
  return end
}

export function addMonths(date: string, months: number): string {
  const d = new Date(`${date}T00:00:00Z`)
  const day = d.getUTCDate()
  d.setUTCDate(1)
  d.setUTCMonth(d.getUTCMonth() + months)
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate()
  d.setUTCDate(Math.min(day, last))
  return d.toISOString().slice(0, 10)
}

export { todayUtc } from '../platform/clock.ts'
