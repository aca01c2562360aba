import { z } from 'zod'
import type { Tx } from '../../platform/db/client.ts'
import { newId } from '../../platform/db/ids.ts'
import { domainVerifiedBy, emailDomain, organizationOwnsIdentity } from '../../identity/identity-owner.ts'
import { keepsAnAdmin } from '../../organizations/keeps-an-admin.ts'
import { now } from '../../platform/clock.ts'
import { assertCan, type TenantScope } from '../../tenancy/tenant-guard.ts'
import {
  applyScimRole,
  listResponse,
  page,
  parseEqFilter,
  patchBody,
  patchValue,
  SCHEMA,
  scimAudit,
  scimBase,
  scimBoolean,
  ScimError,
  scimSchemas,
} from './scim-common.ts'

const userName = z.string().trim().min(3).max(254)
const externalId = z.string().max(200)
const displayName = z.string().max(200)
const namePart = z.string().max(100)
const nameInput = z.object({ givenName: namePart.optional(), familyName: namePart.optional() })

const userInput = z.object({
  schemas: scimSchemas,
  userName,
  externalId: externalId.optional(),
  active: scimBoolean.optional(),
  displayName: displayName.optional(),
  name: nameInput.optional(),
  emails: z
    // Bounded like every other attribute: an unbounded type was taken (and dropped) at any length.
    .array(
      z.object({ value: z.string().max(254), primary: scimBoolean.optional(), type: z.string().max(50).optional() }),
    )
    .optional(),
})

type UserRow = {
  id: string
  email: string
  name: string
  disabledAt: Date | null
  createdAt: Date
  updatedAt: Date
  memberships: { organizationId: string; scimExternalId: string | null; deactivatedAt: Date | null }[]
  scimGroups: { group: { id: string; displayName: string } }[]
}

const include = (organizationId: string) =>
  ({
    memberships: {
      where: { organizationId },
      select: { organizationId: true, scimExternalId: true, deactivatedAt: true },
    },
    scimGroups: { where: { organizationId }, select: { group: { select: { id: true, displayName: true } } } },
  }) as const

export function toScimUser(u: UserRow) {
  const [given, ...family] = u.name.split(' ')
  return {
    schemas: [SCHEMA.user],
    id: u.id,
    externalId: u.memberships[0]?.scimExternalId ?? undefined,
    userName: u.email,
    name: { givenName: given, familyName: family.join(' ') || undefined, formatted: u.name },
    displayName: u.name,
    emails: [{ value: u.email, primary: true, type: 'work' }],
    // Active here: the account is on and this organization's membership is not deactivated.
    active: !u.disabledAt && !u.memberships[0]?.deactivatedAt,
    groups: u.scimGroups.map((g) => ({ value: g.group.id, display: g.group.displayName })),
    meta: {
      resourceType: 'User',
      created: u.createdAt.toISOString(),
      lastModified: u.updatedAt.toISOString(),
      location: `${scimBase()}/Users/${u.id}`,
    },
  }
}

const emailOf = (f: z.infer<typeof userInput>) => {
  const email = (f.emails?.find((e) => e.primary)?.value ?? f.emails?.[0]?.value ?? f.userName).toLowerCase()
  if (!z.email().safeParse(email).success)
    throw new ScimError(400, 'userName (or a primary email) must be an email address.', 'invalidValue')
  return email
}
const nameOf = (f: z.infer<typeof userInput>, email: string) =>
  f.displayName?.trim() ||
  [f.name?.givenName, f.name?.familyName].filter(Boolean).join(' ').trim() ||
  email.split('@')[0]!

/** A user of this organization, or 404: the IdP sees only its own people. */
async function ownUser(tx: Tx, scope: TenantScope, id: string) {
  const u = await tx.user.findFirst({
    where: { id, memberships: { some: { organizationId: scope.organization.id } } },
    include: include(scope.organization.id),
  })
  if (!u) throw new ScimError(404, `User ${id} not found.`)
  return u
}

/**
 * `active` is the organization's membership (decision 018): deactivating suspends it, and access
 * there ends with the next request. Only where the organization owns the identity is the account
 * itself switched off, with every session ended at once.
 */
async function setActive(
  tx: Tx,
  scope: TenantScope,
  user: { id: string; email: string },
  active: boolean,
  owned?: boolean,
) {
  const organizationId = scope.organization.id
  if (!active && !(await keepsAnAdmin(tx, organizationId, user.id, null)))
    throw new ScimError(409, `${user.email} is the organization's last admin: add another admin first.`, 'mutability')
  await tx.membership.updateMany({
    where: { userId: user.id, organizationId },
    data: { deactivatedAt: active ? null : now() },
  })
  if (!(owned ?? (await organizationOwnsIdentity(organizationId, user)))) return
  await tx.user.update({ where: { id: user.id }, data: { disabledAt: active ? null : now() } })
  if (!active) await tx.session.deleteMany({ where: { userId: user.id } })
}

/** A new address must be in a domain this organization verified: an IdP provisions its own people. */
async function assertOwnDomain(tx: Tx, scope: TenantScope, email: string) {
  if ((await domainVerifiedBy(email)) !== scope.organization.id)
    throw new ScimError(
      403,
      `${emailDomain(email)} is not a verified domain of ${scope.organization.name}: verify it on the single ` +
        `sign-on page before provisioning its addresses.`,
    )
}

/**
 * A change of the person's global identity (sign-in email, name): only by the organization that owns
 * it. Elsewhere the email stays the person's (a changed one is refused) and so does their name.
 */
async function identityChange(
  tx: Tx,
  scope: TenantScope,
  u: { id: string; email: string; name: string },
  next: { email: string; name: string },
) {
  const owned = await organizationOwnsIdentity(scope.organization.id, u)
  if (next.email !== u.email) {
    if (!owned)
      throw new ScimError(
        403,
        `${u.email} also belongs to another organization (or its domain is not verified by yours), so its ` +
          `sign-in email is the person's own: it cannot be changed by provisioning.`,
      )
    await assertOwnDomain(tx, scope, next.email)
    if (await tx.user.findUnique({ where: { email: next.email } }))
      throw new ScimError(409, `Another user has userName ${next.email}.`, 'uniqueness')
  }
  return owned ? next : { email: u.email, name: u.name }
}

const audit = (tx: Tx, scope: TenantScope, action: string, id: string, changes: Record<string, unknown>) =>
  scimAudit(tx, scope, action, { type: 'user', id }, changes)

/** POST /Users: a new person of the organization (never an account of another organization). */
export async function createScimUser(scope: TenantScope, body: unknown) {
  assertCan(scope, 'scim.provision')
  const parsed = userInput.safeParse(body)
  if (!parsed.success) throw new ScimError(400, `Invalid user: ${parsed.error.issues[0]!.message}`, 'invalidValue')
  const f = parsed.data
  const email = emailOf(f)
  return scope.db.$transaction(async (tx) => {
    await assertOwnDomain(tx, scope, email)
    const existing = await tx.user.findUnique({ where: { email }, include: { memberships: true } })
    if (existing?.memberships.some((m) => m.organizationId === scope.organization.id))
      throw new ScimError(409, `A user with userName ${email} already exists.`, 'uniqueness')
    // Someone with another organization keeps their account: they join by invitation, on their word.
    if (existing?.memberships.length)
      throw new ScimError(
        409,
        `${email} has an account with another organization: invite them from the Team page instead.`,
        'uniqueness',
      )
    // An account without any membership in the organization's own domain gets its membership again.
    const id = existing?.id ?? newId()
    if (!existing) await tx.user.create({ data: { id, email, name: nameOf(f, email), passwordHash: null } })
    await tx.membership.create({
      data: {
        id: newId(),
        userId: id,
        organizationId: scope.organization.id,
        role: 'partner_engineer',
        scimExternalId: f.externalId,
      },
    })
    await applyScimRole(tx, scope.organization.id, id)
    // Ours alone now: the domain is verified by this organization and this is the only membership.
    if (f.active === false || existing?.disabledAt) await setActive(tx, scope, { id, email }, f.active !== false, true)
    await audit(tx, scope, 'scim.user_create', id, {
      email,
      externalId: f.externalId,
      active: f.active ?? true,
      ...(existing && { linkedExistingAccount: true }),
    })
    return toScimUser(await ownUser(tx, scope, id))
  })
}

export async function getScimUser(scope: TenantScope, id: string) {
  assertCan(scope, 'scim.provision')
  return scope.db.$transaction(async (tx) => toScimUser(await ownUser(tx, scope, id)))
}

/** GET /Users?filter=userName eq "…" (or externalId), paged. */
export async function listScimUsers(scope: TenantScope, q: URLSearchParams) {
  assertCan(scope, 'scim.provision')
  const filter = parseEqFilter(q.get('filter'), ['userName', 'externalId'])
  const { startIndex, count } = page(q)
  const where = {
    memberships: {
      some: {
        organizationId: scope.organization.id,
        ...(filter?.attr === 'externalId' && { scimExternalId: filter.value }),
      },
    },
    ...(filter?.attr === 'userName' && { email: filter.value.toLowerCase() }),
  }
  const [total, rows] = await Promise.all([
    scope.db.user.count({ where }),
    scope.db.user.findMany({
      where,
      include: include(scope.organization.id),
      orderBy: { createdAt: 'asc' },
      skip: startIndex - 1,
      take: count,
    }),
  ])
  return listResponse(total, startIndex, rows.map(toScimUser))
}

/** PUT /Users/:id: the IdP's whole view of the person replaces ours. */
export async function replaceScimUser(scope: TenantScope, id: string, body: unknown) {
  assertCan(scope, 'scim.provision')
  const parsed = userInput.safeParse(body)
  if (!parsed.success) throw new ScimError(400, `Invalid user: ${parsed.error.issues[0]!.message}`, 'invalidValue')
  const f = parsed.data
  return scope.db.$transaction(async (tx) => {
    const u = await ownUser(tx, scope, id)
    const email = emailOf(f)
    const next = await identityChange(tx, scope, u, { email, name: nameOf(f, email) })
    await tx.user.update({ where: { id }, data: next })
    await tx.membership.updateMany({
      where: { userId: id, organizationId: scope.organization.id },
      data: { scimExternalId: f.externalId ?? null },
    })
    if (f.active !== undefined && f.active !== toScimUser(u).active) await setActive(tx, scope, u, f.active)
    await audit(tx, scope, 'scim.user_replace', id, { email: next.email, active: f.active })
    return toScimUser(await ownUser(tx, scope, id))
  })
}

/**
 * PATCH /Users/:id with the operations Okta and Entra ID send: replace of `active` (Okta:
 * `{"op":"replace","value":{"active":false}}`; Entra: `{"op":"Replace","path":"active","value":"False"}`),
 * of `userName`, `displayName`, `name.givenName`, `name.familyName`, `externalId`, and of the work email.
 */
export async function patchScimUser(scope: TenantScope, id: string, body: unknown) {
  assertCan(scope, 'scim.provision')
  const parsed = patchBody.safeParse(body)
  if (!parsed.success) throw new ScimError(400, 'Send a PatchOp with Operations.', 'invalidSyntax')
  return scope.db.$transaction(async (tx) => {
    const u = await ownUser(tx, scope, id)
    const change: {
      active?: boolean
      email?: string
      name?: string
      given?: string
      family?: string
      externalId?: string
    } = {}
    for (const op of parsed.data.Operations) {
      if (!['replace', 'add'].includes(op.op))
        throw new ScimError(400, `Operation "${op.op}" is not supported on users; use replace.`, 'invalidSyntax')
      const pairs: [string, unknown][] =
        op.path === undefined && op.value && typeof op.value === 'object'
          ? Object.entries(op.value)
          : [[op.path ?? '', op.value]]
      for (const [path, value] of pairs) {
        const p = path.replace(/^emails\[type eq "work"\]\.value$/, 'email')
        if (p === 'active') change.active = patchValue(scimBoolean, path, value)
        else if (p === 'userName' || p === 'email') change.email = patchValue(userName, path, value).toLowerCase()
        else if (p === 'displayName') change.name = patchValue(displayName, path, value)
        else if (p === 'name.givenName') change.given = patchValue(namePart, path, value)
        else if (p === 'name.familyName') change.family = patchValue(namePart, path, value)
        else if (p === 'externalId') change.externalId = patchValue(externalId, path, value)
        else if (p === 'name') {
          const n = patchValue(nameInput, path, value)
          if (n.givenName) change.given = n.givenName
          if (n.familyName) change.family = n.familyName
        } else throw new ScimError(400, `Attribute "${path}" cannot be patched here.`, 'invalidPath')
      }
    }
    const email = change.email ?? u.email
    if (!z.email().safeParse(email).success)
      throw new ScimError(400, 'userName must be an email address.', 'invalidValue')
    const [given, ...family] = u.name.split(' ')
    const name = change.name ?? [change.given ?? given, change.family ?? family.join(' ')].filter(Boolean).join(' ')
    await tx.user.update({ where: { id }, data: await identityChange(tx, scope, u, { email, name }) })
    if (change.externalId !== undefined)
      await tx.membership.updateMany({
        where: { userId: id, organizationId: scope.organization.id },
        data: { scimExternalId: change.externalId },
      })
    if (change.active !== undefined && change.active !== toScimUser(u).active)
      await setActive(tx, scope, u, change.active)
    await audit(tx, scope, 'scim.user_patch', id, change)
    return toScimUser(await ownUser(tx, scope, id))
  })
}

/**
 * DELETE /Users/:id: deprovisioned. The organization's membership ends (a later GET is 404); an
 * account the organization owned is disabled with its sessions (history keeps its name); anyone
 * else keeps their account and their other organizations.
 */
export async function deleteScimUser(scope: TenantScope, id: string) {
  assertCan(scope, 'scim.provision')
  await scope.db.$transaction(async (tx) => {
    const u = await ownUser(tx, scope, id)
    await setActive(tx, scope, u, false)
    await tx.scimGroupMember.deleteMany({ where: { userId: id, organizationId: scope.organization.id } })
    await tx.membership.deleteMany({ where: { userId: id, organizationId: scope.organization.id } })
    await audit(tx, scope, 'scim.user_delete', id, {})
  })
}
