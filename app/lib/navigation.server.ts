import { canAnywhere, canAsStaff, type Actor } from '#services/identity/actor.ts'
import { isStaffRole, roleGrants, roleLabel, type StaffRole } from '#services/identity/permissions.ts'

export interface NavItem {
  label: string
  to: string
  /** Highlighted only on its own page, not on the pages under it: one item is current at a time. */
  end: boolean
}

/** The areas a person may use, in the order they appear; nothing else is shown. */
export function navigationFor(actor: Actor): NavItem[] {
  const items: Omit<NavItem, 'end'>[] = []
  const partnerOrgs = actor.memberships.filter(
    (m) => m.organizationKind !== 'ggml' && roleGrants(m.role, 'portal.view'),
  )
  for (const m of partnerOrgs) {
    const suffix = partnerOrgs.length > 1 ? ` · ${m.organizationName}` : ''
    items.push({ label: `Partner portal${suffix}`, to: `/portal/${m.organizationSlug}` })
    if (roleGrants(m.role, 'contracts.view'))
      items.push({ label: `Contracts${suffix}`, to: `/portal/${m.organizationSlug}/contracts` })
    if (roleGrants(m.role, 'royalties.view'))
      items.push({ label: `Royalty reports${suffix}`, to: `/portal/${m.organizationSlug}/reports` })
    if (roleGrants(m.role, 'royalties.view'))
      items.push({ label: `Invoices${suffix}`, to: `/portal/${m.organizationSlug}/invoices` })
    if (roleGrants(m.role, 'royalties.view'))
      items.push({ label: `Statement${suffix}`, to: `/portal/${m.organizationSlug}/statement` })
    if (roleGrants(m.role, 'royalties.view'))
      items.push({ label: `Disputes${suffix}`, to: `/portal/${m.organizationSlug}/disputes` })
    if (roleGrants(m.role, 'engagements.view'))
      items.push({ label: `Engagements${suffix}`, to: `/portal/${m.organizationSlug}/engagements` })
    if (roleGrants(m.role, 'certification.view'))
      items.push({ label: `Certification${suffix}`, to: `/portal/${m.organizationSlug}/certification` })
    if (roleGrants(m.role, 'team.view'))
      items.push({ label: `Team${suffix}`, to: `/portal/${m.organizationSlug}/team` })
    // The partner's integrations (issue 32): whoever may make API tokens registers webhook endpoints.
    if (roleGrants(m.role, 'api_tokens.create'))
      items.push({ label: `Webhooks${suffix}`, to: `/portal/${m.organizationSlug}/webhooks` })
    if (roleGrants(m.role, 'sso.configure'))
      items.push({ label: `Single sign-on${suffix}`, to: `/portal/${m.organizationSlug}/sso` })
    if (roleGrants(m.role, 'training.manage_seats'))
      items.push({ label: `Team training${suffix}`, to: `/portal/${m.organizationSlug}/training` })
  }
  // A learner's training lives in the organization they learn in: their own account, or their company.
  const learning = actor.memberships.filter((m) => roleGrants(m.role, 'training.learn'))
  for (const m of learning)
    items.push({
      label: learning.length > 1 ? `My training · ${m.organizationName}` : 'My training',
      to: `/learn/${m.organizationSlug}`,
    })
  if (canAsStaff(actor, 'organizations.list')) items.push({ label: 'Partners', to: '/portal' })
  if (canAsStaff(actor, 'contracts.view')) items.push({ label: 'Contracts', to: '/contracts' })
  if (canAsStaff(actor, 'finance.view')) items.push({ label: 'Finance', to: '/finance' })
  if (canAsStaff(actor, 'adjustments.request')) items.push({ label: 'Adjustments', to: '/finance/adjustments' })
  if (canAsStaff(actor, 'certification.view')) items.push({ label: 'Certification', to: '/certification' })
  if (canAsStaff(actor, 'services.view') || canAsStaff(actor, 'time.log'))
    items.push({ label: 'Services', to: '/services' })
  if (canAsStaff(actor, 'training.view')) items.push({ label: 'Training', to: '/training' })
  if (canAnywhere(actor, 'rewards.view')) items.push({ label: 'Rewards', to: '/rewards' })
  if (canAsStaff(actor, 'admin.view')) items.push({ label: 'Admin', to: '/admin' })
  // An item with another item under it (/finance and /finance/adjustments) is current on its own page
  // only (issue 29); a partner's portal home and the contracts pipeline too, as their pages sit under them.
  return items.map((i) => ({
    ...i,
    end:
      items.some((o) => o.to.startsWith(`${i.to}/`)) ||
      i.to === '/portal' ||
      /^\/portal\/[^/]+$/.test(i.to) ||
      i.to === '/contracts',
  }))
}

export function rolesSummary(actor: Actor): string {
  return actor.memberships.map((m) => `${roleLabel(m.role)} at ${m.organizationName}`).join(', ')
}

/** Each staff role's own workspace: what it is hired to do, not every page it may read. */
const workspaceOf: Record<StaffRole, string> = {
  ggml_admin: '/admin',
  finance: '/finance',
  partner_manager: '/contracts',
  certification_engineer: '/certification',
  services_lead: '/services',
  consultant: '/services',
  instructor: '/training',
}

/**
 * Where "/" takes a person: their role's main job first (an admin's admin, finance's ledgers, a partner
 * manager's contracts, though they may read the finance pages too; issue 29), else a partner's portal.
 */
export function homeFor(actor: Actor): string {
  const items = navigationFor(actor).map((i) => i.to)
  const preference = ['/admin', '/finance', '/contracts', '/certification', '/services', '/training']
  const own = new Set(
    actor.memberships.flatMap((m) =>
      m.organizationKind === 'ggml' && isStaffRole(m.role) ? [workspaceOf[m.role]] : [],
    ),
  )
  return preference.find((p) => own.has(p) && items.includes(p)) ?? items[0] ?? '/portal'
}
