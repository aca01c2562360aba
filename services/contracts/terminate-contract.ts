import { AppError } from '../errors/app-error.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { recordContractEvent } from './record-contract-event.ts'
import { refreshContractStatus } from './refresh-contract-status.ts'
import { now } from '../platform/clock.ts'

/** Ends a contract early, with the reason on record. Scope: contracts.manage. */
export async function terminateContract(scope: TenantScope, contractId: string, reason: string) {
  assertCan(scope, 'contracts.terminate')
  if (!reason.trim())
    throw new AppError('invalid_input', 'Say why the contract is terminated.', {
      reason: ['The reason is kept with the contract.'],
    })
  const contract = await scope.db.contract.findUnique({ where: { id: contractId } })
  if (!contract) throw new AppError('not_found', 'No such contract.')
  if (contract.terminatedAt) throw new AppError('conflict', 'This contract is already terminated.')
  if (!['signed', 'active'].includes(contract.status))
    throw new AppError('conflict', 'Only a signed or active contract can be terminated; a draft can simply be left.')
  await scope.db.$transaction(async (tx) => {
    await tx.contract.update({
      where: { id: contractId },
      data: { terminatedAt: now(), terminationReason: reason },
    })
    await recordContractEvent(tx, scope, { contractId, type: 'terminated', reason })
    await refreshContractStatus(tx, contractId)
  })
}
