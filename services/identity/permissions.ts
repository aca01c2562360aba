// The one permission matrix. Permissions are named after the action they allow. Roles held in an
// organization act inside it; staff roles (held in the ggml organization) act across the platform
// (`staff`) and inside a partner's organization only where `onBehalf` lists it, audited as acting on
// that organization's behalf (services/tenancy/tenant-guard.ts).
import type { Role } from '../platform/db/generated/enums.ts'

export const permissions = [
  // The platform, for ggml staff
  'admin.view',
  'organizations.list',
  'organizations.create',
  'audit_log.read',
  'jobs.view',
  'jobs.retry',
  'mail.read',
  // An organization's portal and people
  'portal.view',
  'team.view',
  'team.invite',
  'team.remove',
  /** Clear a member's authenticator and recovery codes; where the organization owns the identity (issue 25). */
  'team.reset_second_factor',
  'api_tokens.view',
  'api_tokens.create',
  'api_tokens.revoke',
  'sso.configure',
  /** Only API tokens with the scim:provision scope hold it: the identity provider's SCIM client. */
  'scim.provision',
  // Contracts
  'contracts.view',
  'contracts.draft',
  'contracts.submit',
  'contracts.approve',
  'contracts.send',
  'contracts.sign',
  'contracts.terminate',
  'contracts.confirm_termination',
  // Royalties and billing
  'royalties.view',
  'royalties.report',
  'report_mappings.manage',
  'invoices.view',
  /** The legal name, address and tax id the organization's documents bill to (issue 28). */
  'billing_details.edit',
  'statements.view',
  'disputes.view',
  'disputes.open',
  'disputes.reply',
  'payments.record',
  // Finance
  'finance.view',
  'finance.export',
  /** Finance's chart of accounts for the accounting export (issue 32). */
  'finance.map_accounts',
  /** A closed month's journal as files for Xero, QuickBooks Online or any double-entry system. */
  'finance.export_journal',
  'adjustments.request',
  'adjustments.approve',
  'periods.close',
  // Certification
  'certification.view',
  'certification.request',
  'certification.queue_run',
  'certification.withdraw',
  'certification.review',
  'runner_tokens.create',
  'runner_tokens.create_lab',
  'runners.revoke',
  // The other business lines
  'services.view',
  'services.manage',
  'engagements.view',
  'time.log',
  'time.approve',
  'expenses.submit',
  'expenses.approve',
  'milestones.accept',
  'change_orders.decide',
  'training.view',
  /** Study enrolled courses, take exams, hold certificates: the learner's own work. */
  'training.learn',
  'training.buy',
  'training.refund',
  /** A company's admin hands out the seats it bought and follows its people's progress. */
  'training.manage_seats',
  'training.sell_seats',
  'items.author',
  'items.review',
  'exams.accommodate',
  'exams.statistics',
  'exams.correct_key',
  'certificates.revoke',
  // Contributor rewards
  'rewards.view',
  'rewards.accept',
  'rewards.view_program',
  'rewards.manage_program',
  'rewards.approve',
] as const

export type Permission = (typeof permissions)[number]

/** Held by no role: only API tokens of the matching scope carry these (tenant-guard.ts apiScopeGrants). */
export const tokenOnlyPermissions: ReadonlySet<Permission> = new Set<Permission>(['scim.provision'])

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
  'consultant',
] as const satisfies readonly Role[]

export type StaffRole =
  | 'ggml_admin'
  | 'finance'
  | 'partner_manager'
  | 'services_lead'
  | 'instructor'
  | 'certification_engineer'
  | 'consultant'

/** Roles that only the ggml organization may grant. */
export const staffRoles: ReadonlySet<Role> = new Set<StaffRole>([
  'ggml_admin',
  'finance',
  'partner_manager',
  'services_lead',
  'instructor',
  'certification_engineer',
  'consultant',
])

/** Roles a partner admin may hand out inside their own organization. */
export const partnerRoles: ReadonlySet<Role> = new Set(['partner_admin', 'partner_finance', 'partner_engineer'])

export const roleLabel = (role: Role): string => role.replaceAll('_', '-')

const contractWork: Permission[] = ['contracts.view', 'contracts.draft', 'contracts.submit', 'contracts.send']
const billingViews: Permission[] = ['royalties.view', 'invoices.view', 'statements.view', 'disputes.view']

const staffMatrix: Record<StaffRole, { staff: readonly Permission[]; onBehalf: readonly Permission[] }> = {
  ggml_admin: {
    staff: [
      'admin.view',
      'organizations.list',
      'organizations.create',
      'audit_log.read',
      'jobs.view',
      'jobs.retry',
      'mail.read',
      'finance.view',
      'contracts.view',
      'contracts.approve',
      // Signs for ggml, as ggml's signatory.
      'contracts.sign',
      'certification.view',
      'services.view',
      'training.view',
      'exams.statistics',
      'certificates.revoke',
      'rewards.view',
      'rewards.view_program',
      'rewards.manage_program',
      'rewards.approve',
      // ggml's own team page: staff second factors are reset there, with a second admin's approval.
      'team.view',
      'team.reset_second_factor',
    ],
    onBehalf: [
      'portal.view',
      'team.view',
      // Support's four-eyes path for a partner's person (reset-second-factor.ts decides which).
      'team.reset_second_factor',
      'api_tokens.view',
      ...contractWork,
      'contracts.approve',
      'contracts.sign',
      ...billingViews,
      'certification.view',
      'rewards.view',
      'engagements.view',
    ],
  },
  finance: {
    staff: [
      'organizations.list',
      'finance.view',
      'finance.export',
      'finance.map_accounts',
      'finance.export_journal',
      'adjustments.request',
      'adjustments.approve',
      'periods.close',
      'contracts.view',
      'contracts.approve',
      'audit_log.read',
      'rewards.view',
      'rewards.view_program',
      'rewards.approve',
    ],
    onBehalf: [
      'portal.view',
      'training.sell_seats',
      'training.refund',
      'contracts.view',
      'contracts.approve',
      'contracts.confirm_termination',
      ...billingViews,
      'disputes.reply',
      'payments.record',
      'adjustments.request',
      'adjustments.approve',
      'rewards.view',
      'engagements.view',
    ],
  },
  partner_manager: {
    staff: ['organizations.list', 'organizations.create', 'contracts.view', 'finance.view'],
    onBehalf: ['portal.view', 'team.view', ...contractWork, 'contracts.terminate', 'royalties.view'],
  },
  certification_engineer: {
    staff: ['organizations.list', 'certification.view', 'certification.review'],
    onBehalf: [
      'portal.view',
      'certification.view',
      'certification.queue_run',
      'certification.review',
      'runners.revoke',
      // ggml's own lab runner, registered in the partner's organization for a unit in ggml's lab.
      'runner_tokens.create_lab',
    ],
  },
  services_lead: {
    staff: ['organizations.list', 'services.view', 'services.manage', 'time.approve', 'expenses.approve'],
    onBehalf: ['portal.view', 'engagements.view', 'services.manage', 'time.approve', 'expenses.approve'],
  },
  // Consultants log time and expenses on the engagements they are on (the service checks the team)
  // and, as an engagement's lead, approve others'; they see no customer's other engagements.
  consultant: {
    staff: ['time.log', 'time.approve', 'expenses.submit', 'expenses.approve'],
    onBehalf: ['time.log', 'time.approve', 'expenses.submit', 'expenses.approve'],
  },
  // Instructors write and review items (never their own: the database refuses it), read statistics,
  // correct keys and approve accommodations; they see no learner's account except through those.
  instructor: {
    staff: [
      'training.view',
      'items.author',
      'items.review',
      'exams.accommodate',
      'exams.statistics',
      'exams.correct_key',
      'certificates.revoke',
    ],
    onBehalf: [],
  },
}

const memberMatrix: Record<Exclude<Role, StaffRole>, readonly Permission[]> = {
  partner_admin: [
    'portal.view',
    'team.view',
    'team.invite',
    'team.remove',
    'team.reset_second_factor',
    'api_tokens.view',
    'api_tokens.create',
    'api_tokens.revoke',
    'sso.configure',
    'contracts.view',
    'contracts.sign',
    ...billingViews,
    'billing_details.edit',
    'royalties.report',
    'report_mappings.manage',
    'disputes.open',
    'disputes.reply',
    'certification.view',
    'certification.request',
    'certification.queue_run',
    'certification.withdraw',
    'runner_tokens.create',
    'runners.revoke',
    'engagements.view',
    // The customer's word on delivered work and on changes to what it buys.
    'milestones.accept',
    'change_orders.decide',
    'training.manage_seats',
  ],
  partner_finance: [
    'portal.view',
    'team.view',
    'contracts.view',
    ...billingViews,
    'billing_details.edit',
    'royalties.report',
    'report_mappings.manage',
    'disputes.open',
    'disputes.reply',
    'engagements.view',
  ],
  partner_engineer: [
    'portal.view',
    'team.view',
    'certification.view',
    'certification.request',
    'certification.queue_run',
    'runner_tokens.create',
  ],
  learner: ['training.view', 'training.learn', 'training.buy', 'training.refund'],
  contributor: ['rewards.view', 'rewards.accept'],
}

export const isStaffRole = (role: Role): role is StaffRole => staffRoles.has(role)

/** What a role allows inside the organization that holds the membership. */
export function memberPermissions(role: Role): readonly Permission[] {
  return isStaffRole(role) ? staffMatrix[role].staff : memberMatrix[role]
}

/** What a staff role allows inside another organization, acting on its behalf. */
export function onBehalfPermissions(role: Role): readonly Permission[] {
  return isStaffRole(role) ? staffMatrix[role].onBehalf : []
}

export function roleGrants(role: Role, permission: Permission): boolean {
  return memberPermissions(role).includes(permission)
}

export function permissionsOf(role: Role): readonly Permission[] {
  return [...new Set([...memberPermissions(role), ...onBehalfPermissions(role)])]
}
