import { z } from 'zod'
import type { Tx } from '../../platform/db/client.ts'
import { newId } from '../../platform/db/ids.ts'
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
  ScimError,
  scimSchemas,
} from './scim-common.ts'

const member = z.object({ value: z.string().min(1).max(64) })
const displayName = z.string().trim().min(1).max(200)
const groupInput = z.object({
  schemas: scimSchemas,
  displayName,
  externalId: z.string().max(200).optional(),
  members: z.array(member).optional(),
})

type GroupRow = {
  id: string
  displayName: string
  externalId: string | null
  createdAt: Date
  members: { user: { id: string; email: string } }[]
}
const include = { members: { select: { user: { select: { id: true, email: true } } } } } as const

const toScimGroup = (g: GroupRow) => ({
  schemas: [SCHEMA.group],
  id: g.id,
  externalId: g.externalId ?? undefined,
  displayName: g.displayName,
  members: g.members.map((m) => ({ value: m.user.id, display: m.user.email })),
  meta: { resourceType: 'Group', created: g.createdAt.toISOString(), location: `${scimBase()}/Groups/${g.id}` },
})

async function ownGroup(tx: Tx, id: string) {
  const g = await tx.scimGroup.findFirst({ where: { id }, include })
  if (!g) throw new ScimError(404, `Group ${id} not found.`)
  return g
}

/** Members are people of this organization only; an id from elsewhere is refused, not ignored. */
async function checkMembers(tx: Tx, scope: TenantScope, ids: string[]) {
  if (!ids.length) return
  const found = await tx.membership.count({ where: { organizationId: scope.organization.id, userId: { in: ids } } })
  if (found !== new Set(ids).size)
    throw new ScimError(400, 'A member is not a user of this organization.', 'invalidValue')
}

/** Group changes change roles: every person whose groups moved gets their mapped role again. */
async function reapplyRoles(tx: Tx, scope: TenantScope, userIds: Iterable<string>) {
  for (const id of new Set(userIds)) await applyScimRole(tx, scope.organization.id, id)
}

const audit = (tx: Tx, scope: TenantScope, action: string, id: string, changes: Record<string, unknown>) =>
  scimAudit(tx, scope, action, { type: 'scim_group', id }, changes)

export async function createScimGroup(scope: TenantScope, body: unknown) {
  assertCan(scope, 'scim.provision')
  const parsed = groupInput.safeParse(body)
  if (!parsed.success) throw new ScimError(400, `Invalid group: ${parsed.error.issues[0]!.message}`, 'invalidValue')
  const f = parsed.data
  return scope.db.$transaction(async (tx) => {
    if (await tx.scimGroup.findFirst({ where: { displayName: f.displayName } }))
      throw new ScimError(409, `A group named ${f.displayName} exists.`, 'uniqueness')
    const ids = (f.members ?? []).map((m) => m.value)
    await checkMembers(tx, scope, ids)
    const id = newId()
    await tx.scimGroup.create({
      data: { id, organizationId: scope.organization.id, displayName: f.displayName, externalId: f.externalId },
    })
    if (ids.length)
      await tx.scimGroupMember.createMany({
        data: ids.map((userId) => ({ groupId: id, organizationId: scope.organization.id, userId })),
      })
    await reapplyRoles(tx, scope, ids)
    await audit(tx, scope, 'scim.group_create', id, { displayName: f.displayName, members: ids })
    return toScimGroup(await ownGroup(tx, id))
  })
}

export async function getScimGroup(scope: TenantScope, id: string) {
  assertCan(scope, 'scim.provision')
  return scope.db.$transaction(async (tx) => toScimGroup(await ownGroup(tx, id)))
}

export async function listScimGroups(scope: TenantScope, q: URLSearchParams) {
  assertCan(scope, 'scim.provision')
  const filter = parseEqFilter(q.get('filter'), ['displayName', 'externalId'])
  const { startIndex, count } = page(q)
  const where = filter ? { [filter.attr]: filter.value } : {}
  const [total, rows] = await Promise.all([
    scope.db.scimGroup.count({ where }),
    scope.db.scimGroup.findMany({ where, include, orderBy: { createdAt: 'asc' }, skip: startIndex - 1, take: count }),
  ])
  return listResponse(total, startIndex, rows.map(toScimGroup))
}

export async function replaceScimGroup(scope: TenantScope, id: string, body: unknown) {
  assertCan(scope, 'scim.provision')
  const parsed = groupInput.safeParse(body)
  if (!parsed.success) throw new ScimError(400, `Invalid group: ${parsed.error.issues[0]!.message}`, 'invalidValue')
  const f = parsed.data
  return scope.db.$transaction(async (tx) => {
    const g = await ownGroup(tx, id)
    const ids = (f.members ?? []).map((m) => m.value)
    await checkMembers(tx, scope, ids)
    await tx.scimGroup.update({ where: { id }, data: { displayName: f.displayName, externalId: f.externalId ?? null } })
    await tx.scimGroupMember.deleteMany({ where: { groupId: id } })
    if (ids.length)
      await tx.scimGroupMember.createMany({
        data: ids.map((userId) => ({ groupId: id, organizationId: scope.organization.id, userId })),
      })
    await reapplyRoles(tx, scope, [...ids, ...g.members.map((m) => m.user.id)])
    await audit(tx, scope, 'scim.group_replace', id, { displayName: f.displayName, members: ids })
    return toScimGroup(await ownGroup(tx, id))
  })
}

/**
 * PATCH /Groups/:id as Okta and Entra ID send it: add members (`{"op":"add","path":"members","value":[{"value":id}]}`),
 * remove one (`{"op":"remove","path":"members[value eq \"id\"]"}`) or several (`path: "members"` with a value list),
 * replace members or displayName.
 */
export async function patchScimGroup(scope: TenantScope, id: string, body: unknown) {
  assertCan(scope, 'scim.provision')
  const parsed = patchBody.safeParse(body)
  if (!parsed.success) throw new ScimError(400, 'Send a PatchOp with Operations.', 'invalidSyntax')
  return scope.db.$transaction(async (tx) => {
    const g = await ownGroup(tx, id)
    const touched = new Set<string>()
    const values = (v: unknown) =>
      z
        .array(member)
        .parse(Array.isArray(v) ? v : [v])
        .map((m) => m.value)
    for (const op of parsed.data.Operations) {
      const one = /^members\[value eq "([^"]+)"\]$/.exec(op.path ?? '')
      if (op.op === 'add' && op.path === 'members') {
        const ids = values(op.value)
        await checkMembers(tx, scope, ids)
        await tx.scimGroupMember.createMany({
          data: ids.map((userId) => ({ groupId: id, organizationId: scope.organization.id, userId })),
          skipDuplicates: true,
        })
        ids.forEach((i) => touched.add(i))
      } else if (op.op === 'remove' && (one || op.path === 'members')) {
        const ids = one ? [one[1]!] : op.value === undefined ? g.members.map((m) => m.user.id) : values(op.value)
        await tx.scimGroupMember.deleteMany({ where: { groupId: id, userId: { in: ids } } })
        ids.forEach((i) => touched.add(i))
      } else if (op.op === 'replace' && op.path === 'members') {
        const ids = values(op.value)
        await checkMembers(tx, scope, ids)
        await tx.scimGroupMember.deleteMany({ where: { groupId: id } })
        await tx.scimGroupMember.createMany({
          data: ids.map((userId) => ({ groupId: id, organizationId: scope.organization.id, userId })),
        })
        ;[...ids, ...g.members.map((m) => m.user.id)].forEach((i) => touched.add(i))
      } else if (
        op.op === 'replace' &&
        (op.path === 'displayName' || (!op.path && op.value && typeof op.value === 'object'))
      ) {
        const name = op.path
          ? patchValue(displayName, op.path, op.value)
          : (patchValue(z.object({ displayName: displayName.optional() }), 'value', op.value).displayName ??
            g.displayName)
        await tx.scimGroup.update({ where: { id }, data: { displayName: name } })
        g.members.forEach((m) => touched.add(m.user.id))
      } else
        throw new ScimError(
          400,
          `Operation "${op.op}" on "${op.path ?? ''}" is not supported on groups.`,
          'invalidPath',
        )
    }
    await reapplyRoles(tx, scope, touched)
    await audit(tx, scope, 'scim.group_patch', id, { operations: parsed.data.Operations.length, members: [...touched] })
    return toScimGroup(await ownGroup(tx, id))
  })
}

export async function deleteScimGroup(scope: TenantScope, id: string) {
  assertCan(scope, 'scim.provision')
  await scope.db.$transaction(async (tx) => {
    const g = await ownGroup(tx, id)
    await tx.scimGroup.delete({ where: { id } })
    await reapplyRoles(
      tx,
      scope,
      g.members.map((m) => m.user.id),
    )
    await audit(tx, scope, 'scim.group_delete', id, { displayName: g.displayName })
  })
}
