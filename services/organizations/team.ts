import type { Role } from '../db/generated/enums.ts'
import { partnerRoles, roles, staffRoles } from '../identity/permissions.ts'

export const INVITATION_TTL_MS = 7 * 24 * 3600 * 1000

/** Which roles an organization of this kind can hold. */
export function assignableRoles(kind: string): Role[] {
  // A contributor's account is theirs alone: no team, no other role.
  if (kind === 'contributor') return ['contributor']
  if (kind === 'ggml') return roles.filter((r) => staffRoles.has(r) || r === 'learner' || r === 'contributor')
  return roles.filter((r) => partnerRoles.has(r) || r === 'learner' || r === 'contributor')
}
