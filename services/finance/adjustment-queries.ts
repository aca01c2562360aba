import type { Actor } from '../identity/actor.ts'
import { toCurrency } from '../kernel/money/currency.ts'
import { formatMoney, money } from '../kernel/money/money.ts'
import { allPartnersScope } from '../tenancy/tenant-guard.ts'

/** Finance's queue: adjustments waiting for a second approver, and open disputes, across partners. */
export async function financeQueue(actor: Actor) {
  const { db } = allPartnersScope(actor, 'adjustments.request')
  const [adjustments, disputes] = await Promise.all([
    db.adjustment.findMany({ where: { status: 'pending' }, orderBy: { createdAt: 'asc' } }),
    db.dispute.findMany({
      where: { status: 'open' },
      orderBy: { createdAt: 'asc' },
      include: {
        messages: {
          orderBy: { createdAt: 'asc' },
          select: { id: true, authorEmail: true, body: true, createdAt: true },
        },
      },
    }),
  ])
  const orgs = new Map(
    (
      await db.organization.findMany({
        where: { id: { in: [...adjustments.map((a) => a.organizationId), ...disputes.map((d) => d.organizationId)] } },
      })
    ).map((o) => [o.id, o.name]),
  )
  return {
    adjustments: adjustments.map((a) => ({
      id: a.id,
      organizationId: a.organizationId,
      partner: orgs.get(a.organizationId) ?? '',
      kind: a.amountMinor < 0n ? 'credit note' : 'debit note',
      amount: formatMoney(money(a.amountMinor < 0n ? -a.amountMinor : a.amountMinor, toCurrency(a.currency))),
      reason: a.reason,
      requestedById: a.requestedById,
      mine: a.requestedById === actor.userId,
    })),
    disputes: disputes.map((d) => ({
      id: d.id,
      organizationId: d.organizationId,
      partner: orgs.get(d.organizationId) ?? '',
      amount: formatMoney(money(d.amountMinor, toCurrency(d.currency))),
      reason: d.reason,
      chargeLabel: d.chargeLabel,
      messages: d.messages.map((m) => ({ ...m, createdAt: m.createdAt.toISOString() })),
    })),
    partners: (await db.organization.findMany({ where: { kind: 'oem_partner' }, orderBy: { name: 'asc' } })).map(
      (o) => ({ id: o.id, name: o.name }),
    ),
  }
}
