import { AppError } from '../platform/errors/app-error.ts'
import { now } from '../platform/clock.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { recordContractEvent } from './record-contract-event.ts'

/**
 * Asks for a contract to end early, with the reason on record. Nothing ends yet: a second person
 * confirms (confirm-termination.ts), so one account cannot end a partner's license alone.
 */
export async function requestTermination(scope: TenantScope, contractId: string, reason: string) {
  assertCan(scope, 'contracts.terminate')
  if (!reason.trim())
    throw new AppError('invalid_input', 'Say why the contract is terminated.', {
      reason: ['The reason is kept with the contract.'],
    })
  const contract = await scope.db.contract.findUnique({ where: { id: contractId } })
  if (!contract) throw new AppError('not_found', 'No such contract.')
  if (contract.terminatedAt) throw new AppError('conflict', 'This contract is already terminated.')
  if (contract.terminationRequestedAt)
    throw new AppError('conflict', 'A termination is already waiting for a second person to confirm it.')
  if (!['signed', 'active'].includes(contract.status))
    throw new AppError('conflict', 'Only a signed or active contract can be terminated; a draft can simply be left.')
  await scope.db.$transaction(async (tx) => {
    await tx.contract.update({
      where: { id: contractId },
      data: {
        terminationRequestedById: scope.actor.userId,
        terminationRequestedAt: now(),
        terminationRequestReason: reason.trim(),
      },
    })
    await recordContractEvent(tx, scope, { contractId, type: 'termination_requested', reason: reason.trim() })
  })
}
