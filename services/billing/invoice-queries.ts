import type { Currency } from '../money/currency.ts'
import { formatMoney, money } from '../money/money.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { now } from '../platform/clock.ts'

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null)

/** A partner's invoices with what is still due and how overdue it is. */
export async function listInvoices(scope: TenantScope, today = now().toISOString().slice(0, 10)) {
  assertCan(scope, 'invoices.view')
  const invoices = await scope.db.invoice.findMany({ orderBy: { createdAt: 'desc' }, take: 200 })
  return invoices.map((i) => {
    const fmt = (m: bigint) => formatMoney(money(m, i.currency as Currency))
    const due = day(i.dueDate)
    const overdueDays =
      i.status === 'open' && due && due < today ? Math.round((Date.parse(today) - Date.parse(due)) / 86_400_000) : 0
    return {
      id: i.id,
      number: i.number ?? 'issuing…',
      description: i.description,
      status: i.status,
      amountDue: fmt(i.amountDueMinor),
      amountPaid: fmt(i.amountPaidMinor),
      dueDate: due,
      overdueDays,
      hostedUrl: i.hostedUrl,
      lastFailure: i.lastFailure,
    }
  })
}
