import type { RouterContextProvider } from 'react-router'
import { contractScope } from '#services/contracts/contract-records.ts'
import type { Permission } from '#services/identity/permissions.ts'
import { rethrowAsResponse } from './forms.server.ts'
import { requireStaff } from './session.server.ts'

/** Staff contract pages: staff with the permission, then the tenancy guard of the contract's partner. */
export async function requireContractAsStaff(context: Readonly<RouterContextProvider>, request: Request, contractId: string, permission: Permission) {
  const actor = requireStaff(context, request, permission)
  return contractScope(actor, contractId, permission).catch(rethrowAsResponse)
}
