import { canAnywhere, canAsStaff, type Actor } from '#services/identity/actor.ts'
import { roleGrants, roleLabel } from '#services/identity/permissions.ts'

export interface NavItem {
  label: string
  to: string
}

/** The areas a person may use, in the order they appear; nothing else is shown. */
export function navigationFor(actor: Actor): NavItem[] {
  const items: NavItem[] = []
  for (const m of actor.memberships) {
    if (m.organizationKind !== 'ggml' && roleGrants(m.role, 'portal.view')) {
      items.push({ label: actor.memberships.length > 1 ? `Portal · ${m.organizationName}` : 'Partner portal', to: `/portal/${m.organizationSlug}` })
    }
  }
  if (canAsStaff(actor, 'partners.read_any')) items.push({ label: 'Partners', to: '/portal' })
  if (canAsStaff(actor, 'finance.view')) items.push({ label: 'Finance', to: '/finance' })
  if (canAsStaff(actor, 'certification.view')) items.push({ label: 'Certification', to: '/certification' })
  if (canAsStaff(actor, 'services.view')) items.push({ label: 'Services', to: '/services' })
  if (canAnywhere(actor, 'training.view')) items.push({ label: 'Training', to: '/training' })
  if (canAnywhere(actor, 'rewards.view')) items.push({ label: 'Rewards', to: '/rewards' })
  if (canAsStaff(actor, 'admin.access')) items.push({ label: 'Admin', to: '/admin' })
  return items
}

export function rolesSummary(actor: Actor): string {
  return actor.memberships.map((m) => `${roleLabel(m.role)} at ${m.organizationName}`).join(', ')
}

/** Where "/" takes a person: their main job first (an admin's admin, finance's ledgers, a partner's portal). */
export function homeFor(actor: Actor): string {
  const items = navigationFor(actor).map((i) => i.to)
  const preference = ['/admin', '/finance', '/certification', '/services']
  return preference.find((p) => items.includes(p)) ?? items[0] ?? '/portal'
}
