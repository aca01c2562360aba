import { unscopedDb } from '../platform/db/unscoped.ts'
import type { Actor } from '../identity/actor.ts'
import { toCurrency } from '../kernel/money/currency.ts'
import { formatMoney } from '../kernel/money/money.ts'
import { assertCanAsStaff } from '../tenancy/tenant-guard.ts'

/** The rate card as the services lead reads it: every rate by role, newest first, with the scope it applies to. */
export async function listRateCard(actor: Actor) {
  assertCanAsStaff(actor, 'services.manage')
  const rates = await unscopedDb('catalogue').rateCard.findMany({
    orderBy: [{ rateRole: 'asc' }, { effectiveFrom: 'desc' }],
  })
  const names = new Map(
    (
      await unscopedDb('staff view').organization.findMany({
        where: { id: { in: rates.flatMap((r) => (r.customerId ? [r.customerId] : [])) } },
        select: { id: true, name: true },
      })
    ).map((o) => [o.id, o.name]),
  )
  return rates.map((r) => ({
    id: r.id,
    role: r.rateRole.replaceAll('_', ' '),
    rate: formatMoney({ minor: r.rateMinor, currency: toCurrency(r.currency) }),
    from: r.effectiveFrom.toISOString().slice(0, 10),
    scope: r.engagementId ? 'one engagement' : r.customerId ? (names.get(r.customerId) ?? 'a customer') : 'standard',
  }))
}
