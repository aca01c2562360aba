import { createHash } from 'node:crypto'
import { newId } from '../platform/db/ids.ts'
import type { TenantScope } from '../tenancy/tenant-guard.ts'

export const MAX_EVIDENCE = 10_000_000

export function messageData(
  scope: TenantScope,
  disputeId: string,
  body: string,
  evidence?: { name: string; bytes: Uint8Array },
) {
  return {
    id: newId(),
    disputeId,
    organizationId: scope.organization.id,
    authorId: scope.actor.userId,
    authorEmail: scope.actor.email,
    body,
    ...(evidence &&
      evidence.bytes.byteLength > 0 && {
        evidenceName: evidence.name.slice(0, 200),
        evidence: new Uint8Array(evidence.bytes),
        evidenceSha256: createHash('sha256').update(evidence.bytes).digest('hex'),
      }),
  }
}
