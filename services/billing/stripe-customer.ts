import type { TenantScope } from '../tenancy/tenant-guard.ts'
import { membersOf } from '../organizations/members.ts'
import { stripe } from './stripe-client.ts'

/**
 * The organization's Stripe customer, created once (idempotently) with its finance or admin contact's
 * email. Invoices and credit notes both bill it.
 */
export async function stripeCustomerFor(scope: TenantScope): Promise<string> {
  const organizationId = scope.organization.id
  const known = await scope.db.billingCustomer.findUnique({ where: { organizationId } })
  if (known) return known.stripeCustomerId
  const contacts = await membersOf(scope, ['partner_finance', 'partner_admin'])
  const contact = contacts.find((m) => m.role === 'partner_finance') ?? contacts[0]
  const c = await stripe().customers.create(
    { name: scope.organization.name, email: contact?.user.email, metadata: { organizationId } },
    { idempotencyKey: `customer:${organizationId}` },
  )
  await scope.db.billingCustomer.createMany({
    data: [{ organizationId, stripeCustomerId: c.id }],
    skipDuplicates: true,
  })
  return (await scope.db.billingCustomer.findUniqueOrThrow({ where: { organizationId } })).stripeCustomerId
}
