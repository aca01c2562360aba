import { AppError } from '../platform/errors/app-error.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { recordContractEvent } from './record-contract-event.ts'
import { refreshContractStatus } from './refresh-contract-status.ts'
import { now } from '../platform/clock.ts'
import { termsAuthors } from './terms-authors.ts'

/** Finance approves terms outside the price book; never anyone who wrote, changed or submitted them. */
export async function approveContractVersion(scope: TenantScope, versionId: string, note?: string) {
  assertCan(scope, 'contracts.approve')
  const version = await scope.db.contractVersion.findUnique({ where: { id: versionId } })
  if (!version) throw new AppError('not_found', 'No such contract version.')
  if (version.state !== 'pending_approval')
    throw new AppError(
      'conflict',
      `Version ${version.version} is not waiting for approval (it is ${version.state.replace('_', ' ')}).`,
    )
  const history = await scope.db.contractEvent.findMany({
    where: { contractVersionId: version.id },
    select: { type: true, actorUserId: true },
  })
  if (termsAuthors(version, history).has(scope.actor.userId)) {
    throw new AppError(
      'forbidden',
      'You drafted, changed or submitted these terms: someone who did not write them must approve them.',
    )
  }
  await scope.db.$transaction(async (tx) => {
    await tx.contractVersion.update({
      where: { id: version.id },
      data: { state: 'approved', approvedById: scope.actor.userId, approvedAt: now(), approvalNote: note ?? null },
    })
    await recordContractEvent(tx, scope, {
      contractId: version.contractId,
      versionId: version.id,
      type: 'approved',
      reason: note,
      details: { exceptions: version.priceBookExceptions },
    })
    await refreshContractStatus(tx, version.contractId)
  })
}
