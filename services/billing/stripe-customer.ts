import { unscopedDb } from '../platform/db/unscoped.ts'
import { activeMember } from '../identity/active-member.ts'
import type { TenantScope } from '../tenancy/tenant-guard.ts'
import { stripe } from './stripe-client.ts'

/**
 * The organization's Stripe customer, created once (idempotently) with its finance or admin contact's
 * email. Invoices and credit notes both bill it.
 */
export async function stripeCustomerFor(scope: TenantScope): Promise<string> {
  const organizationId = scope.organization.id
  const known = await scope.db.billingCustomer.findUnique({ where: { organizationId } })
  if (known) return known.stripeCustomerId
  const admins = await unscopedDb('in scope').membership.findMany({
    where: { organizationId, role: { in: ['partner_finance', 'partner_admin'] }, ...activeMember },
    include: { user: true },
    orderBy: { role: 'desc' },
    take: 1,
  })
  const c = await stripe().customers.create(
    { name: scope.organization.name, email: admins[0]?.user.email, metadata: { organizationId } },
    { idempotencyKey: `customer:${organizationId}` },
  )
  await scope.db.billingCustomer.createMany({
    data: [{ organizationId, stripeCustomerId: c.id }],
    skipDuplicates: true,
  })
  return (await scope.db.billingCustomer.findUniqueOrThrow({ where: { organizationId } })).stripeCustomerId
}
