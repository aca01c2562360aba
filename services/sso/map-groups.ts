import type { Role } from '../db/generated/enums.ts'

/** Roles an identity provider may grant, most trusted first. Staff roles are never granted by an IdP. */
export const SSO_ROLES = ['partner_admin', 'partner_finance', 'partner_engineer', 'learner'] as const satisfies Role[]

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
    if (!m || !(SSO_ROLES as readonly string[]).includes(m[2]!))
      errors.push(`Line ${i + 1}: write “IdP group = role”, the role one of ${SSO_ROLES.join(', ')}.`)
    else map[m[1]!] = m[2] as Role
  }
  return { map, errors }
}
