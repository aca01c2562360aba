import { unscopedDb } from '../platform/db/unscoped.ts'
import { canAsStaff, type Actor } from '../identity/actor.ts'

/** Staff who may read across partners see every organization; everyone else sees their own. */
export async function listOrganizations(actor: Actor) {
  const where = canAsStaff(actor, 'organizations.list')
    ? {}
    : { id: { in: actor.memberships.map((m) => m.organizationId) } }
  return unscopedDb('staff view').organization.findMany({
    where,
    orderBy: [{ kind: 'asc' }, { name: 'asc' }],
    include: { _count: { select: { memberships: true } } },
  })
}
