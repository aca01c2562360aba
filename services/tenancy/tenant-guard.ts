import type { Db } from '../platform/db/client.ts'
import { db } from '../platform/db/client.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import type { OrganizationKind } from '../platform/db/generated/enums.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { canAsStaff, grantsIn, type Actor } from '../identity/actor.ts'
import { sha256 } from '../identity/tokens.ts'
import { isStaffRole, permissions, type Permission } from '../identity/permissions.ts'
import { now, nowMs } from '../platform/clock.ts'
import { appUrl } from '../platform/config/env.ts'
import { readStringList } from '../platform/db/json-column.ts'

/**
 * The one tenancy guard. Every read or write of partner-scoped data starts here: it decides whether
 * the actor may act in the organization, then hands out a database client that can only see and
 * write that organization's rows. A refusal is a 404, so other partners' ids reveal nothing.
 */

/** Models whose rows belong to one organization through `organizationId`. Add new ones here. */
export const tenantModels = [
  'Membership',
  'Invitation',
  'Contract',
  'ContractVersion',
  'ContractEnvelope',
  'ContractDocument',
  'ContractEvent',
  'LedgerAccount',
  'JournalEntry',
  'JournalLine',
  'RoyaltyReport',
  'RoyaltyReportLine',
  'RoyaltyCharge',
  'ApiToken',
  'Invoice',
  'BillingCustomer',
  'Adjustment',
  'Dispute',
  'DisputeMessage',
  'ReportMapping',
  'CreditNote',
  'ReportUpload',
  'CertRunnerToken',
  'CertRunner',
  'CertRequest',
  'CertRequestFile',
  'CertJob',
  'CertResult',
  'CertChallenge',
  'CertBadge',
  'WebhookEndpoint',
  'WebhookEvent',
  'WebhookDelivery',
  'CreditGrant',
  'CreditDraw',
  'CreditUsage',
  'CreditReminder',
  'Engagement',
  'Timesheet',
  'TimeEntry',
  'EngagementBudgetAlert',
  'EngagementMilestone',
  'EngagementExpense',
  'EngagementChangeOrder',
  'SamlConnection',
  'ScimGroup',
  'ScimGroupMember',
  'OrganizationDomain',
  'Enrolment',
  'LessonCompletion',
  'ExamAccommodation',
  'ExamVoucher',
  'ExamAttempt',
  'ExamAttemptItem',
  'Certificate',
  'TrainingOrder',
  'TrainingSeatPack',
  'TrainingSeat',
  'TrainingPromotionRedemption',
  'ExamApprovalRequest',
] as const
const tenantModelSet = new Set<string>(tenantModels)

export interface TenantOrganization {
  id: string
  slug: string
  name: string
  kind: OrganizationKind
}

export interface TenantScope {
  actor: Actor
  organization: TenantOrganization
  db: Db
  /** The permission the scope was opened with (what the route is about). */
  permission: Permission
  /** Everything the actor may do in this organization; services assert theirs with assertCan. */
  granted: ReadonlySet<Permission>
  /** ggml staff acting inside a partner's organization: the audit log says so. */
  onBehalf: boolean
}

/** Each use case asserts the action it performs, whatever permission its route opened the scope with. */
export function assertCan(scope: Pick<TenantScope, 'granted'>, permission: Permission): void {
  if (!scope.granted.has(permission))
    throw new AppError('forbidden', `You do not have permission to do this (${permission}).`)
}

/** For staff work across organizations (running a program, a rate card): the permission held platform-wide. */
export function assertCanAsStaff(actor: Actor, permission: Permission): void {
  if (!canAsStaff(actor, permission))
    throw new AppError('forbidden', `You do not have permission to do this (${permission}).`)
}

const allPermissions: ReadonlySet<Permission> = new Set(permissions)

const NOT_FOUND = 'No such organization, or you do not have access to it.'

export async function tenantScope(
  actor: Actor,
  ref: { slug: string } | { id: string },
  permission: Permission,
): Promise<TenantScope> {
  // A member's own organization came with the actor's session read, in this request: no second query.
  const own = actor.memberships.find((m) =>
    'slug' in ref ? m.organizationSlug === ref.slug : m.organizationId === ref.id,
  )
  const organization = own
    ? { id: own.organizationId, slug: own.organizationSlug, name: own.organizationName, kind: own.organizationKind }
    : await db().organization.findUnique({
        where: 'slug' in ref ? { slug: ref.slug } : { id: ref.id },
        select: { id: true, slug: true, name: true, kind: true },
      })
  const grants = organization ? grantsIn(actor, organization.id) : undefined
  if (!organization || !grants?.granted.has(permission)) throw new AppError('not_found', NOT_FOUND)
  return { actor, organization, db: scopedDb(db(), organization.id), permission, ...grants }
}

/**
 * For staff views across every partner (pipeline, approval queue, finance reports): allowed only to
 * staff whose role grants the permission platform-wide; returns the unscoped client.
 */
export function allPartnersScope(actor: Actor, permission: Permission): { actor: Actor; db: Db } {
  if (!canAsStaff(actor, permission)) throw new AppError('forbidden', 'This view is for ggml staff.')
  // Across organizations by design, after the permission check: counted with the other unscoped reads.
  return { actor, db: unscopedDb('staff view') }
}

/** The actor of work no person started (webhooks, scheduled jobs); it holds no permissions. */
export const systemActor: Actor = {
  userId: 'system',
  email: 'system@ggml.ai',
  name: 'ggml platform',
  sessionId: '',
  memberships: [],
}

/**
 * For jobs and verified webhooks acting on one organization's data: no permission check (the caller
 * proved its right another way, e.g. a DocuSign signature), but the same scoped client.
 */
export async function systemScope(organizationId: string): Promise<TenantScope> {
  const organization = await db().organization.findUniqueOrThrow({
    where: { id: organizationId },
    select: { id: true, slug: true, name: true, kind: true },
  })
  return {
    actor: systemActor,
    organization,
    db: scopedDb(db(), organization.id),
    permission: 'portal.view',
    granted: allPermissions,
    onBehalf: false,
  }
}

const readOps = new Set([
  'findUnique',
  'findUniqueOrThrow',
  'findFirst',
  'findFirstOrThrow',
  'findMany',
  'count',
  'aggregate',
  'groupBy',
  'update',
  'updateMany',
  'updateManyAndReturn',
  'delete',
  'deleteMany',
])
const createOps = new Set(['create', 'createMany', 'createManyAndReturn'])
const writeWithWhere = new Set(['update', 'updateMany', 'updateManyAndReturn', 'delete', 'deleteMany'])

/** The system's scope in ggml's own organization (its staff are people to mail or ask to sign), if it exists. */
export async function ggmlSystemScope(): Promise<TenantScope | undefined> {
  const ggml = await db().organization.findFirst({ where: { kind: 'ggml' }, select: { id: true } })
  return ggml ? systemScope(ggml.id) : undefined
}

/** A client whose tenant models are filtered to, and written into, one organization only. */
export function scopedDb(base: Db, organizationId: string): Db {
  // Query extensions leave the client's API unchanged, so the scoped client keeps the Db type.
  const scoped = base.$extends({
    name: 'tenant-scope',
    query: {
      $allModels: {
        async $allOperations({ model, operation, args, query }) {
          if (!tenantModelSet.has(model)) return query(args)
          const a = (args ?? {}) as Record<string, unknown>
          if (writeWithWhere.has(operation) && Object.keys((a.where as object | undefined) ?? {}).length === 0) {
            // Stamping the tenant would turn this into "every row of the organization": refuse it.
            throw new Error(`Refused: ${model}.${operation} without a where clause would touch every row.`)
          }
          if (readOps.has(operation)) {
            a.where = { ...(a.where as object | undefined), organizationId }
          } else if (createOps.has(operation)) {
            const stamp = (d: Record<string, unknown>) => {
              if (d.organizationId !== undefined && d.organizationId !== organizationId) {
                throw new AppError('forbidden', 'A row cannot be written into another organization.')
              }
              return { ...d, organizationId }
            }
            a.data = Array.isArray(a.data) ? a.data.map(stamp) : stamp(a.data as Record<string, unknown>)
          } else if (operation === 'upsert') {
            a.where = { ...(a.where as object), organizationId }
            const create = a.create as Record<string, unknown>
            if (create.organizationId !== undefined && create.organizationId !== organizationId)
              throw new AppError('forbidden', 'A row cannot be written into another organization.')
            a.create = { ...create, organizationId }
            if ((a.update as Record<string, unknown>).organizationId !== undefined)
              throw new AppError('forbidden', 'A row cannot move to another organization.')
          }
          return query(a as typeof args)
        },
      },
    },
  })
  return scoped as unknown as Db
}

/**
 * A token works only while the person who made it may still act in its organization: an admin who was
 * offboarded (removed, SCIM-deactivated, disabled) cannot keep using, say, a provisioning token to
 * switch themselves back on. Staff who made one on a partner's behalf keep it while they are staff.
 */
async function creatorStillActive(token: { createdById: string | null; organizationId: string }) {
  if (!token.createdById) return true
  const creator = await db().user.findUnique({
    where: { id: token.createdById },
    select: {
      disabledAt: true,
      memberships: {
        where: {
          deactivatedAt: null,
          OR: [{ organizationId: token.organizationId }, { organization: { kind: 'ggml' } }],
        },
        select: { organizationId: true, role: true },
      },
    },
  })
  if (!creator || creator.disabledAt) return false
  return creator.memberships.some((m) => m.organizationId === token.organizationId || isStaffRole(m.role))
}

/** What each API token scope lets a call do, in the matrix's words. */
const apiScopeGrants: Record<string, Permission[]> = {
  'reports:read': ['royalties.view'],
  'reports:write': ['royalties.view', 'royalties.report'],
  'invoices:read': ['invoices.view'],
  'statements:read': ['statements.view'],
  'badges:read': ['certification.view'],
  'scim:provision': ['scim.provision'],
}

/** An expired token's caller learns when it ended and where its organization makes a new one. */
async function expiredTokenError(token: { organizationId: string; expiresAt: Date; scopes: unknown }) {
  const { slug } = await db().organization.findUniqueOrThrow({
    where: { id: token.organizationId },
    select: { slug: true },
  })
  // SCIM tokens are made on the single sign-on page, every other token on the API tokens page.
  const page = readStringList(token.scopes).includes('scim:provision') ? 'sso' : 'api-tokens'
  return new AppError(
    'unauthenticated',
    `This API token expired on ${token.expiresAt.toISOString().slice(0, 10)}; ` +
      `create a new one at ${appUrl()}/portal/${slug}/${page}.`,
  )
}

/**
 * The tenancy guard for API calls: the bearer token decides the organization; the scope it holds
 * must include what the call needs. Unknown, revoked, expired and under-scoped tokens are refused.
 */
export async function apiTokenScope(
  authorization: string | null,
  needed: 'reports:write' | 'reports:read' | 'invoices:read' | 'statements:read' | 'badges:read' | 'scim:provision',
): Promise<TenantScope> {
  const secret = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1]
  if (!secret?.startsWith('ggml_pat_'))
    throw new AppError('unauthenticated', 'Send an API token: Authorization: Bearer ggml_pat_…')
  const token = await db().apiToken.findUnique({ where: { tokenHash: sha256(secret) } })
  if (!token || token.revokedAt) throw new AppError('unauthenticated', 'This API token is unknown or revoked.')
  if (token.expiresAt.getTime() <= nowMs()) throw await expiredTokenError(token)
  if (!(await creatorStillActive(token)))
    throw new AppError(
      'unauthenticated',
      'The person who made this API token is no longer an active member of the organization, so it no longer ' +
        'works: an admin makes a new one.',
    )
  if (!readStringList(token.scopes).includes(needed))
    throw new AppError('forbidden', `This API token lacks the ${needed} permission.`)
  await db().apiToken.update({ where: { id: token.id }, data: { lastUsedAt: now() } })
  const organization = await db().organization.findUniqueOrThrow({
    where: { id: token.organizationId },
    select: { id: true, slug: true, name: true, kind: true },
  })
  const actor: Actor = {
    userId: `api-token:${token.id}`,
    email: `api-token:${token.name}`,
    name: token.name,
    sessionId: '',
    memberships: [],
  }
  const granted = new Set(readStringList(token.scopes).flatMap((s) => apiScopeGrants[s] ?? []))
  return {
    actor,
    organization,
    db: scopedDb(db(), organization.id),
    permission: 'royalties.view',
    granted,
    onBehalf: false,
  }
}
