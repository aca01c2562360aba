import type { Role } from '../platform/db/generated/enums.ts'
import { activeMember } from '../identity/active-member.ts'
import { ggmlSystemScope, systemScope, type TenantScope } from '../tenancy/tenant-guard.ts'

/**
 * The people of one organization to mail, bill or ask to sign: its active members (decision 018), in the given
 * roles or all, oldest first, each with their account. Read through the tenancy guard's client, so a caller
 * holding one organization's scope can list no one else's people.
 */
export async function membersOf(scope: Pick<TenantScope, 'db'>, roles?: readonly Role[]) {
  return scope.db.membership.findMany({
    where: { ...(roles ? { role: { in: [...roles] } } : {}), ...activeMember },
    include: { user: true },
    orderBy: { createdAt: 'asc' },
  })
}

/** The same, for a platform job that holds only the organization's id. */
export async function membersOfOrganization(organizationId: string, roles?: readonly Role[]) {
  return membersOf(await systemScope(organizationId), roles)
}

/** ggml's own staff in the given roles (partner managers copied on reminders, ggml's contract signers). */
export async function ggmlMembers(roles?: readonly Role[]) {
  const ggml = await ggmlSystemScope()
  return ggml ? { organizationId: ggml.organization.id, members: await membersOf(ggml, roles) } : undefined
}
