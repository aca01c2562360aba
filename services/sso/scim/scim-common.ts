import { z } from 'zod'
import { recordAuditEvent } from '../../platform/audit/record-audit-event.ts'
import type { Tx } from '../../platform/db/client.ts'
import type { TenantScope } from '../../tenancy/tenant-guard.ts'
import type { Role } from '../../platform/db/generated/enums.ts'
import { appUrl } from '../../platform/config/env.ts'
import { roleForGroups, readGroupRoles } from '../map-groups.ts'
import { keepsAnAdmin } from '../../organizations/keeps-an-admin.ts'

export const SCHEMA = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  list: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  patch: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  error: 'urn:ietf:params:scim:api:messages:2.0:Error',
}

/** A SCIM error (RFC 7644 §3.12): the status, its scimType, and a detail an IdP admin can act on. */
export class ScimError extends Error {
  override name = 'ScimError'
  constructor(
    readonly status: number,
    detail: string,
    readonly scimType?: string,
  ) {
    super(detail)
  }
  body() {
    return {
      schemas: [SCHEMA.error],
      status: String(this.status),
      ...(this.scimType && { scimType: this.scimType }),
      detail: this.message,
    }
  }
}

export const scimBase = () => `${appUrl()}/scim/v2`

/** Entra ID sends booleans as "True"/"False" strings in PATCH; Okta sends JSON booleans. */
export const scimBoolean = z.union([
  z.boolean(),
  z.enum(['true', 'false', 'True', 'False']).transform((v) => v.toLowerCase() === 'true'),
])

/** The `schemas` a request names: not read, but a value of another type is the IdP's mistake to hear about. */
export const scimSchemas = z.array(z.string().max(200)).max(10).optional()

/** One attribute's value in a PATCH, checked as the full resource checks it: a wrong type is a 400, never stored. */
export function patchValue<T>(schema: z.ZodType<T>, path: string, value: unknown): T {
  const parsed = schema.safeParse(value)
  if (!parsed.success) throw new ScimError(400, `${path}: ${parsed.error.issues[0]!.message}`, 'invalidValue')
  return parsed.data
}

/** `attr eq "value"`, the one filter Okta and Entra send (RFC 7644 §3.4.2.2). */
export function parseEqFilter(filter: string | null, allowed: string[]): { attr: string; value: string } | null {
  if (!filter) return null
  const m = /^\s*([A-Za-z.]+)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$/.exec(filter)
  if (!m || !allowed.includes(m[1]!))
    throw new ScimError(
      400,
      `Only ${allowed.map((a) => `${a} eq "…"`).join(' or ')} filters are supported.`,
      'invalidFilter',
    )
  return { attr: m[1]!, value: m[2]!.replace(/\\(.)/g, '$1') }
}

export const page = (q: URLSearchParams) => {
  // Bounded: a startIndex of 1e300 is a client's mistake, not a query for the database to fail on.
  const startIndex = Math.min(1_000_000_000, Math.max(1, Math.floor(Number(q.get('startIndex') ?? 1)) || 1))
  const count = Math.min(200, Math.max(0, Math.floor(Number(q.get('count') ?? 100)) || 0))
  return { startIndex, count }
}

/**
 * A provisioned person's role: the most trusted role their SCIM groups map to on the organization's
 * SAML connection, else its default (the same map as sign-in, so both agree).
 */
export async function applyScimRole(tx: Tx, organizationId: string, userId: string): Promise<Role | null> {
  const c = await tx.samlConnection.findFirst({
    where: { organizationId, enabled: true },
    orderBy: { createdAt: 'asc' },
  })
  const groups = await tx.scimGroupMember.findMany({
    where: { organizationId, userId },
    include: { group: { select: { displayName: true } } },
  })
  const role = roleForGroups(
    readGroupRoles(c?.groupRoles),
    groups.map((g) => g.group.displayName),
    c?.defaultRole ?? 'partner_engineer',
  )
  const m = await tx.membership.findFirst({ where: { organizationId, userId }, select: { role: true } })
  if (!m) return null
  if (m.role === role) return role
  if (!(await keepsAnAdmin(tx, organizationId, userId, role)))
    throw new ScimError(
      409,
      `This change would make the organization's last admin a ${role}: add another admin first ` +
        `(map an IdP group to partner_admin, or promote someone on the Team page).`,
      'mutability',
    )
  await tx.membership.updateMany({ where: { organizationId, userId }, data: { role } })
  return role
}

/** A PATCH body (RFC 7644 §3.5.2); Entra capitalises its ops ("Replace"), Okta does not. */
export const patchBody = z.object({
  schemas: scimSchemas,
  Operations: z
    .array(
      z.object({
        op: z.string().transform((o) => o.toLowerCase()),
        path: z.string().optional(),
        value: z.unknown().optional(),
      }),
    )
    .min(1),
})

export const listResponse = <T>(totalResults: number, startIndex: number, resources: T[]) => ({
  schemas: [SCHEMA.list],
  totalResults,
  startIndex,
  itemsPerPage: resources.length,
  Resources: resources,
})

/** Every SCIM change in the organization's audit log, by the token that made it. */
export const scimAudit = (
  tx: Tx,
  scope: TenantScope,
  action: string,
  target: { type: 'user' | 'scim_group'; id: string },
  changes: Record<string, unknown>,
) =>
  recordAuditEvent(tx, {
    actor: { userId: scope.actor.userId, email: scope.actor.email },
    organizationId: scope.organization.id,
    action,
    targetType: target.type,
    targetId: target.id,
    changes,
  })
