import { moneyIn } from '../engagements/engagement-money.ts'
import type { Actor } from '../identity/actor.ts'
import { roleGrants, type Permission } from '../identity/permissions.ts'
import { tenantScope, type TenantScope } from '../tenancy/tenant-guard.ts'
import { isoDay, ROWS_PER_SOURCE, type InboxItem, type InboxSourceReader } from './inbox-item.ts'

/** The customer's organizations where this person holds the permission, each opened by the tenancy guard. */
async function customerScopes(actor: Actor, permission: Permission): Promise<TenantScope[]> {
  const orgs = actor.memberships.filter((m) => roleGrants(m.role, permission)).map((m) => m.organizationId)
  return Promise.all([...new Set(orgs)].map((id) => tenantScope(actor, { id }, permission)))
}

const inScopes = async <T>(actor: Actor, permission: Permission, read: (s: TenantScope) => Promise<T[]>) =>
  (await Promise.all((await customerScopes(actor, permission)).map(read))).flat()

// Engagements still in draft stay with ggml until their statement of work goes out (customerEngagements).
const shownToCustomer = { OR: [{ status: { not: 'draft' as const } }, { sowEnvelopeId: { not: null } }] }

export const waitingMilestones: InboxSourceReader = {
  source: 'milestone',
  applies: (actor) => actor.memberships.some((m) => roleGrants(m.role, 'milestones.accept')),
  count: async (actor) =>
    (
      await inScopes(actor, 'milestones.accept', async (s) => [
        await s.db.engagementMilestone.count({ where: { status: 'delivered' } }),
      ])
    ).reduce((a, b) => a + b, 0),
  list: (actor) =>
    inScopes(actor, 'milestones.accept', async (s): Promise<InboxItem[]> => {
      const rows = await s.db.engagementMilestone.findMany({
        where: { status: 'delivered' },
        include: { engagement: { select: { title: true, currency: true } } },
        orderBy: { deliveredAt: 'asc' },
        take: ROWS_PER_SOURCE,
      })
      return rows.map((m) => ({
        source: 'milestone',
        id: m.id,
        organizationId: s.organization.id,
        kind: 'Milestone',
        title: `${m.engagement.title}: “${m.title}”, ${moneyIn(m.amountMinor, m.engagement.currency)}`,
        detail:
          `Delivered ${isoDay(m.deliveredAt)}` +
          (m.acceptBy ? `; accepted on its own on ${isoDay(m.acceptBy)} unless you return it` : ''),
        since: isoDay(m.deliveredAt ?? m.createdAt),
        href: `/portal/${s.organization.slug}/engagements`,
        approveBlocked: null,
      }))
    }),
}

export const waitingChangeOrders: InboxSourceReader = {
  source: 'change_order',
  applies: (actor) => actor.memberships.some((m) => roleGrants(m.role, 'change_orders.decide')),
  count: async (actor) =>
    (
      await inScopes(actor, 'change_orders.decide', async (s) => [
        await s.db.engagementChangeOrder.count({ where: { status: 'proposed', engagement: shownToCustomer } }),
      ])
    ).reduce((a, b) => a + b, 0),
  list: (actor) =>
    inScopes(actor, 'change_orders.decide', async (s): Promise<InboxItem[]> => {
      const rows = await s.db.engagementChangeOrder.findMany({
        where: { status: 'proposed', engagement: shownToCustomer },
        include: { engagement: { select: { title: true, currency: true } } },
        orderBy: { createdAt: 'asc' },
        take: ROWS_PER_SOURCE,
      })
      return rows.map(({ engagement: { currency, title }, ...c }) => ({
        source: 'change_order',
        id: c.id,
        organizationId: s.organization.id,
        kind: 'Change order',
        title: `${title}: change order v${c.version}, budget ${moneyIn(c.budgetMinor, currency)}`,
        detail: c.scope,
        since: isoDay(c.createdAt),
        href: `/portal/${s.organization.slug}/engagements`,
        approveBlocked: null,
      }))
    }),
}
