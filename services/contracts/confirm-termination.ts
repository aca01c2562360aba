import { AppError } from '../platform/errors/app-error.ts'
import { now } from '../platform/clock.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { recordContractEvent } from './record-contract-event.ts'
import { refreshContractStatus } from './refresh-contract-status.ts'

/** A second person ends the contract as requested, or declines the request with a reason. */
export async function decideTermination(
  scope: TenantScope,
  contractId: string,
  decision: { confirm: true } | { confirm: false; reason: string },
) {
  assertCan(scope, 'contracts.confirm_termination')
  const contract = await scope.db.contract.findUnique({ where: { id: contractId } })
  if (!contract) throw new AppError('not_found', 'No such contract.')
  if (contract.terminatedAt) throw new AppError('conflict', 'This contract is already terminated.')
  if (!contract.terminationRequestedAt || !contract.terminationRequestReason)
    throw new AppError('conflict', 'Nobody has asked to terminate this contract.')
  if (contract.terminationRequestedById === scope.actor.userId)
    throw new AppError('forbidden', 'You asked for this termination: someone else must confirm or decline it.')
  if (!decision.confirm && !decision.reason.trim())
    throw new AppError('invalid_input', 'Say why the termination is declined.', {
      reason: ['The person who asked reads this.'],
    })
  await scope.db.$transaction(async (tx) => {
    const cleared = { terminationRequestedById: null, terminationRequestedAt: null, terminationRequestReason: null }
    if (decision.confirm) {
      await tx.contract.update({
        where: { id: contractId },
        data: { ...cleared, terminatedAt: now(), terminationReason: contract.terminationRequestReason },
      })
      await recordContractEvent(tx, scope, {
        contractId,
        type: 'terminated',
        reason: contract.terminationRequestReason!,
        details: { requestedBy: contract.terminationRequestedById },
      })
      await refreshContractStatus(tx, contractId)
    } else {
      await tx.contract.update({ where: { id: contractId }, data: cleared })
      await recordContractEvent(tx, scope, { contractId, type: 'termination_declined', reason: decision.reason.trim() })
    }
  })
}
