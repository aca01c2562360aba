import { AppError } from '../platform/errors/app-error.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { recordContractEvent } from './record-contract-event.ts'
import { refreshContractStatus } from './refresh-contract-status.ts'

/** Finance sends terms back to the drafter with a reason. Scope: contracts.approve. */
export async function returnToDraft(scope: TenantScope, versionId: string, reason: string) {
  assertCan(scope, 'contracts.approve')
  if (!reason.trim())
    throw new AppError('invalid_input', 'Say why the terms go back to draft.', {
      reason: ['Give a reason the drafter can act on.'],
    })
  const version = await scope.db.contractVersion.findUnique({ where: { id: versionId } })
  if (!version) throw new AppError('not_found', 'No such contract version.')
  if (version.state !== 'pending_approval')
    throw new AppError('conflict', `Version ${version.version} is not waiting for approval.`)
  await scope.db.$transaction(async (tx) => {
    await tx.contractVersion.update({
      where: { id: version.id },
      data: { state: 'draft', submittedAt: null, submittedById: null },
    })
    await recordContractEvent(tx, scope, {
      contractId: version.contractId,
      versionId: version.id,
      type: 'returned_to_draft',
      reason,
    })
    await refreshContractStatus(tx, version.contractId)
  })
}
