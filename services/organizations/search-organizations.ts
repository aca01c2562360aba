import { z } from 'zod'
import { unscopedDb } from '../platform/db/unscoped.ts'
import type { Prisma } from '../platform/db/generated/client.ts'
import type { Actor } from '../identity/actor.ts'
import { readPage, type PageRequest } from '../platform/paging.ts'
import { assertCanAsStaff } from '../tenancy/tenant-guard.ts'

/** Kinds as staff look for them: the partners who owe and sign, apart from people's own accounts. */
export const organizationGroups = {
  partners: ['oem_partner', 'enterprise', 'services_client'],
  contributors: ['contributor'],
  learners: ['learner'],
} as const

const isGroup = (g: string): g is keyof typeof organizationGroups => Object.hasOwn(organizationGroups, g)

export const organizationSearchSchema = z.object({
  q: z
    .string()
    .trim()
    .max(100, 'Search for at most 100 characters.')
    .optional()
    .transform((v) => v || undefined),
  group: z.enum(['partners', 'contributors', 'learners']).optional().catch(undefined),
})

export type OrganizationSearch = z.infer<typeof organizationSearchSchema>

/**
 * The staff list of every organization but ggml's own, one page at a time (issue 29). Partners come
 * first: the enum's order puts the partner kinds before contributor and learner accounts, which
 * otherwise outnumber them twenty to one.
 */
export async function searchOrganizations(actor: Actor, search: OrganizationSearch, request: PageRequest) {
  assertCanAsStaff(actor, 'organizations.list')
  const where: Prisma.OrganizationWhereInput = {
    kind: search.group ? { in: [...organizationGroups[search.group]] } : { not: 'ggml' },
    OR: search.q
      ? [{ name: { contains: search.q, mode: 'insensitive' } }, { slug: { contains: search.q, mode: 'insensitive' } }]
      : undefined,
  }
  const page = await readPage(
    request,
    (w) =>
      unscopedDb('staff view').organization.findMany({
        where,
        orderBy: [{ kind: 'asc' }, { name: 'asc' }, { id: 'asc' }],
        select: { slug: true, name: true, kind: true, _count: { select: { memberships: true } } },
        ...w,
      }),
    () => unscopedDb('staff view').organization.count({ where }),
  )
  return {
    ...page,
    rows: page.rows.map((o) => ({
      slug: o.slug,
      name: o.name,
      kind: o.kind,
      group: Object.keys(organizationGroups)
        .filter(isGroup)
        .find((g) => organizationGroups[g].some((k) => k === o.kind)),
      members: o._count.memberships,
    })),
  }
}
