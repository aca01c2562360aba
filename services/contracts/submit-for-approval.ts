import { AppError } from '../platform/errors/app-error.ts'
import { now } from '../platform/clock.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { recordContractEvent } from './record-contract-event.ts'
import { refreshContractStatus } from './refresh-contract-status.ts'
import { readStringList } from '../platform/db/json-column.ts'

/**
 * Standard terms are approved by the price book itself; terms outside it wait for finance.
 * Scope: contracts.manage.
 */
export async function submitForApproval(scope: TenantScope, versionId: string) {
  assertCan(scope, 'contracts.submit')
  const version = await scope.db.contractVersion.findUnique({ where: { id: versionId } })
  if (!version) throw new AppError('not_found', 'No such contract version.')
  if (version.state !== 'draft')
    throw new AppError('conflict', `Version ${version.version} is already ${version.state.replace('_', ' ')}.`)
  const exceptions = readStringList(version.priceBookExceptions)
  const needsFinance = exceptions.length > 0
  await scope.db.$transaction(async (tx) => {
    await tx.contractVersion.update({
      where: { id: version.id },
      data: needsFinance
        ? { state: 'pending_approval', submittedById: scope.actor.userId, submittedAt: now() }
        : {
            state: 'approved',
            submittedById: scope.actor.userId,
            submittedAt: now(),
            approvedAt: now(),
            approvalNote: 'Within the standard price book: approved automatically.',
          },
    })
    await recordContractEvent(tx, scope, {
      contractId: version.contractId,
      versionId: version.id,
      type: needsFinance ? 'submitted_for_approval' : 'approved',
      details: needsFinance ? { exceptions } : { automatic: true },
      audit: { exceptions },
    })
    await refreshContractStatus(tx, version.contractId)
  })
  return { needsFinance, exceptions }
}
