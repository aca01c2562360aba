import { toCurrency } from '../kernel/money/currency.ts'
import { formatMoney, money } from '../kernel/money/money.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'

export async function listDisputes(scope: TenantScope) {
  assertCan(scope, 'disputes.view')
  const disputes = await scope.db.dispute.findMany({
    include: {
      messages: {
        orderBy: { createdAt: 'asc' },
        select: { id: true, authorEmail: true, body: true, evidenceName: true, evidenceSha256: true, createdAt: true },
      },
    },
    orderBy: { createdAt: 'desc' },
  })
  return disputes.map((d) => ({
    id: d.id,
    invoiceId: d.invoiceId,
    chargeLabel: d.chargeLabel,
    amount: formatMoney(money(d.amountMinor, toCurrency(d.currency))),
    reason: d.reason,
    status: d.status,
    resolution: d.resolution,
    createdAt: d.createdAt.toISOString(),
    messages: d.messages.map((m) => ({ ...m, createdAt: m.createdAt.toISOString() })),
  }))
}
