import type { Role } from '../platform/db/generated/enums.ts'
import { partnerRoles, roles, staffRoles } from '../identity/permissions.ts'

export const INVITATION_TTL_MS = 7 * 24 * 3600 * 1000

/**
 * Which roles an organization of this kind can hold. Contributor and learner accounts are one person's
 * own; an enterprise customer buys training for its people, so it may have learners; ggml holds staff,
 * and a partner its admins, finance and engineers: no one is invited there as a learner or a contributor
 * (issue 29).
 */
export function assignableRoles(kind: string): Role[] {
  if (kind === 'contributor') return ['contributor']
  if (kind === 'learner') return ['learner']
  if (kind === 'ggml') return roles.filter((r) => staffRoles.has(r))
  return roles.filter((r) => partnerRoles.has(r) || (kind === 'enterprise' && r === 'learner'))
}
