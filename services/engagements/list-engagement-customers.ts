import { unscopedDb } from '../platform/db/unscoped.ts'
import type { OrganizationKind } from '../platform/db/generated/enums.ts'
import type { Actor } from '../identity/actor.ts'
import { assertCanAsStaff } from '../tenancy/tenant-guard.ts'

/** The organizations an engagement or a customer rate may be for: OEM partners, enterprises and services clients. */
export const engagementCustomerKinds: OrganizationKind[] = ['oem_partner', 'enterprise', 'services_client']

/** The customers the services lead may open an engagement or set a rate for, by name. */
export async function listEngagementCustomers(actor: Actor): Promise<{ id: string; name: string }[]> {
  assertCanAsStaff(actor, 'services.manage')
  return unscopedDb('staff view').organization.findMany({
    where: { kind: { in: engagementCustomerKinds } },
    select: { id: true, name: true },
    orderBy: { name: 'asc' },
  })
}
