// The one permission matrix. Roles held in the ggml organization are staff roles and apply across
// partners (through the tenancy guard); every other role applies only inside its own organization.
import type { Role } from '../db/generated/enums.ts'

export const permissions = [
  'admin.access',
  'organizations.manage',
  'audit.read',
  'jobs.manage',
  'mail.read',
  'partners.read_any',
  'portal.view',
  'team.manage',
  'finance.view',
  'certification.view',
  'services.view',
  'training.view',
  'rewards.view',
  'contracts.view',
  'contracts.manage',
  'contracts.approve',
  'contracts.sign',
  'royalties.view',
  'royalties.report',
  'ledger.adjust',
] as const

export type Permission = (typeof permissions)[number]

export const roles = [
  'ggml_admin',
  'finance',
  'partner_manager',
  'services_lead',
  'instructor',
  'certification_engineer',
  'partner_admin',
  'partner_finance',
  'partner_engineer',
  'learner',
  'contributor',
] as const satisfies readonly Role[]

/** Roles that only the ggml organization may grant. */
export const staffRoles: ReadonlySet<Role> = new Set([
  'ggml_admin',
  'finance',
  'partner_manager',
  'services_lead',
  'instructor',
  'certification_engineer',
])

/** Roles a partner admin may hand out inside their own organization. */
export const partnerRoles: ReadonlySet<Role> = new Set(['partner_admin', 'partner_finance', 'partner_engineer'])

export const roleLabel = (role: Role): string => role.replaceAll('_', '-')

const matrix: Record<Role, readonly Permission[]> = {
  ggml_admin: [
    'admin.access',
    'organizations.manage',
    'audit.read',
    'jobs.manage',
    'mail.read',
    'partners.read_any',
    'portal.view',
    'team.manage',
    'finance.view',
    'certification.view',
    'services.view',
    'training.view',
    'rewards.view',
    'contracts.view',
    'contracts.manage',
    'contracts.approve',
    'contracts.sign',
    'royalties.view',
  ],
  finance: [
    'finance.view',
    'partners.read_any',
    'portal.view',
    'audit.read',
    'contracts.view',
    'contracts.approve',
    'royalties.view',
    'ledger.adjust',
  ],
  partner_manager: [
    'partners.read_any',
    'portal.view',
    'organizations.manage',
    'finance.view',
    'contracts.view',
    'contracts.manage',
    'royalties.view',
  ],
  services_lead: ['services.view', 'partners.read_any', 'portal.view'],
  instructor: ['training.view'],
  certification_engineer: ['certification.view', 'partners.read_any', 'portal.view'],
  partner_admin: [
    'portal.view',
    'team.manage',
    'finance.view',
    'certification.view',
    'contracts.view',
    'contracts.sign',
    'royalties.view',
    'royalties.report',
  ],
  partner_finance: ['portal.view', 'finance.view', 'contracts.view', 'royalties.view', 'royalties.report'],
  partner_engineer: ['portal.view', 'certification.view'],
  learner: ['training.view'],
  contributor: ['rewards.view'],
}

export function roleGrants(role: Role, permission: Permission): boolean {
  return matrix[role].includes(permission)
}

export function permissionsOf(role: Role): readonly Permission[] {
  return matrix[role]
}
