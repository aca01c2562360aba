import { unscopedDb } from '../platform/db/unscoped.ts'
import { AppError } from '../platform/errors/app-error.ts'
import type { Actor } from '../identity/actor.ts'
import type { Permission } from '../identity/permissions.ts'
import { type TenantScope, tenantScope } from '../tenancy/tenant-guard.ts'

/** Staff routes address a contract by id; this finds its organization and opens the tenancy guard there. */
export async function contractScope(
  actor: Actor,
  contractId: string,
  permission: Permission,
): Promise<TenantScope & { contractId: string }> {
  const row = await unscopedDb('staff view').contract.findUnique({
    where: { id: contractId },
    select: { organizationId: true },
  })
  if (!row) throw new AppError('not_found', 'No such contract, or you do not have access to it.')
  const scope = await tenantScope(actor, { id: row.organizationId }, permission)
  return { ...scope, contractId }
}
