import { z } from 'zod'
import type { Role } from '../platform/db/generated/enums.ts'

/** Roles an identity provider may grant, most trusted first. Staff roles are never granted by an IdP. */
export const SSO_ROLES = ['partner_admin', 'partner_finance', 'partner_engineer', 'learner'] as const satisfies Role[]

type SsoRole = (typeof SSO_ROLES)[number]
const isSsoRole = (role: string): role is SsoRole => SSO_ROLES.some((r) => r === role)

/** SamlConnection.groupRoles (a JSON column), parsed at read: parseGroupRoles wrote only SSO roles. */
export const readGroupRoles = (stored: unknown): Record<string, SsoRole> =>
  z.record(z.string(), z.enum(SSO_ROLES)).parse(stored ?? {})

/** The most trusted role any of the user's groups maps to, else the connection's default. */
export function roleForGroups(map: Record<string, Role>, groups: string[], fallback: Role): Role {
  const mapped = new Set(groups.flatMap((g) => (map[g] ? [map[g]] : [])))
  return SSO_ROLES.find((r) => mapped.has(r)) ?? fallback
}

/** "group = role" lines, as an admin types them, to the stored map; errors name the line. */
export function parseGroupRoles(text: string): { map: Record<string, Role>; errors: string[] } {
  const map: Record<string, Role> = {}
  const errors: string[] = []
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim()
    if (!line) continue
    const m = /^(.+?)\s*=\s*([a-z_]+)$/.exec(line)
    const role = m?.[2] ?? ''
    if (!m || !isSsoRole(role))
      errors.push(`Line ${i + 1}: write “IdP group = role”, the role one of ${SSO_ROLES.join(', ')}.`)
    else map[m[1]!] = role
  }
  return { map, errors }
}
