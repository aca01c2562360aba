import type { TenantScope } from '../tenancy/tenant-guard.ts'
import { todayUtc } from '../platform/clock.ts'
import { deriveContractStatus } from './derive-contract-status.ts'

/** Re-derives and stores the contract's status after a change to its versions or dates. */
export async function refreshContractStatus(
  tx: Pick<TenantScope['db'], 'contract' | 'contractVersion'>,
  contractId: string,
) {
  const contract = await tx.contract.findUniqueOrThrow({ where: { id: contractId }, include: { versions: true } })
  const status = deriveContractStatus(contract, contract.versions, todayUtc())
  if (status !== contract.status) await tx.contract.update({ where: { id: contractId }, data: { status } })
  return { before: contract.status, after: status }
}
