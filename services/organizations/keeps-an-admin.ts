import type { Tx } from '../platform/db/client.ts'
import type { Role } from '../platform/db/generated/enums.ts'

const ADMIN_ROLES: Role[] = ['partner_admin', 'ggml_admin']

/**
 * Whether the organization still has an active admin after this person's membership takes `next`
 * (a role, or null for deactivated or removed). An identity provider's push must never leave an
 * organization that nobody can administer: there would be no way back through the UI. Call it in the
 * transaction that makes the change: it locks the organization's row, so two changes racing (two
 * admins removing each other, parallel SCIM calls) are decided one after the other.
 */
export async function keepsAnAdmin(
  client: Tx,
  organizationId: string,
  userId: string,
  next: Role | null,
): Promise<boolean> {
  await client.$queryRaw`SELECT 1 FROM "Organization" WHERE "id" = ${organizationId} FOR UPDATE`
  if (next && ADMIN_ROLES.includes(next)) return true
  const others = await client.membership.count({
    where: { organizationId, userId: { not: userId }, deactivatedAt: null, role: { in: ADMIN_ROLES } },
  })
  if (others > 0) return true
  // Nobody else administers it: fine only if this person was not an admin either (nothing is lost).
  const mine = await client.membership.findFirst({
    where: { organizationId, userId },
    select: { role: true, deactivatedAt: true },
  })
  return !mine || mine.deactivatedAt !== null || !ADMIN_ROLES.includes(mine.role)
}
