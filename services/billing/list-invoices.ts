import { z } from 'zod'
import type { Prisma } from '../platform/db/generated/client.ts'
import { toCurrency } from '../kernel/money/currency.ts'
import { formatMoney, money } from '../kernel/money/money.ts'
import { todayUtc } from '../platform/clock.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null)

/** The list's query, from the page's search parameters: anything unknown falls back to the default. */
export const invoiceQuery = z.object({
  status: z.enum(['all', 'outstanding', 'overdue', 'paid', 'void']).catch('all'),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional()
    .catch(undefined),
  q: z.string().trim().max(100).optional().catch(undefined),
  sort: z.enum(['issued', 'due', 'amount', 'remaining']).catch('issued'),
  order: z.enum(['asc', 'desc']).catch('desc'),
})
export type InvoiceQuery = z.infer<typeof invoiceQuery>

export interface InvoiceTotals {
  currency: string
  outstandingMinor: bigint
  overdueMinor: bigint
  outstanding: string
  overdue: string
  openCount: number
  overdueCount: number
}

/**
 * A partner's invoices, filtered and sorted, with what is outstanding and overdue per currency (never
 * summed across currencies). What is left to pay is Stripe's figure (credit notes, the credit balance
 * and payments taken off), as the last webhook or sync brought it.
 */
export async function listInvoices(scope: TenantScope, query: Partial<InvoiceQuery> = {}) {
  assertCan(scope, 'invoices.view')
  const q = parseInput(invoiceQuery, query)
  const today = todayUtc()
  const todayDate = new Date(`${today}T00:00:00Z`)
  const where: Prisma.InvoiceWhereInput = {
    status: { not: 'draft' },
    ...(q.currency && { currency: q.currency }),
    ...(q.q && {
      OR: [{ number: { contains: q.q, mode: 'insensitive' } }, { description: { contains: q.q, mode: 'insensitive' } }],
    }),
    ...(q.status === 'outstanding' && { status: 'open' }),
    ...(q.status === 'overdue' && { status: 'open', dueDate: { lt: todayDate } }),
    ...(q.status === 'paid' && { status: 'paid' }),
    ...(q.status === 'void' && { status: { in: ['void', 'uncollectible'] } }),
  }
  const orderBy: Prisma.InvoiceOrderByWithRelationInput[] = [
    q.sort === 'due'
      ? { dueDate: { sort: q.order, nulls: 'last' } }
      : q.sort === 'amount'
        ? { amountDueMinor: q.order }
        : q.sort === 'remaining'
          ? { amountRemainingMinor: q.order }
          : { issuedAt: { sort: q.order, nulls: 'last' } },
    { createdAt: q.order },
    { id: 'asc' },
  ]
  // The list, the totals and the currencies are independent reads: asked together.
  const [rows, totals, currencies] = await Promise.all([
    scope.db.invoice.findMany({ where, orderBy, take: 500 }),
    invoiceTotals(scope, todayDate),
    currenciesOf(scope),
  ])
  const credited = await scope.db.creditNote.groupBy({
    by: ['invoiceId'],
    where: { invoiceId: { in: rows.map((r) => r.id) } },
    _sum: { amountMinor: true },
  })
  const creditOf = new Map(credited.map((c) => [c.invoiceId, c._sum.amountMinor ?? 0n]))
  const invoices = rows.map((i) => {
    const fmt = (m: bigint) => formatMoney(money(m, toCurrency(i.currency)))
    const due = day(i.dueDate)
    const overdueDays =
      i.status === 'open' && due && due < today ? Math.round((Date.parse(today) - Date.parse(due)) / 86_400_000) : 0
    const creditedMinor = creditOf.get(i.id) ?? 0n
    return {
      id: i.id,
      number: i.number ?? 'issuing…',
      description: i.description,
      status: i.status,
      // Settled by credit notes alone: "paid" would have an AP clerk record a payment that never happened.
      creditedInFull: i.status === 'paid' && i.amountPaidMinor === 0n && i.paidFromBalanceMinor === 0n,
      currency: i.currency,
      issuedOn: day(i.issuedAt ?? i.createdAt),
      amountDue: fmt(i.amountDueMinor),
      amountDueMinor: i.amountDueMinor.toString(),
      credited: creditedMinor > 0n ? fmt(creditedMinor) : null,
      amountPaid: fmt(i.amountPaidMinor),
      remaining: fmt(i.status === 'open' ? i.amountRemainingMinor : 0n),
      dueDate: due,
      overdueDays,
      hostedUrl: i.hostedUrl,
      lastFailure: i.lastFailure,
    }
  })
  return { query: q, invoices, totals, currencies }
}

/** Outstanding and overdue per currency, over every open invoice (whatever the filter shows). */
export async function invoiceTotals(scope: TenantScope, todayDate: Date): Promise<InvoiceTotals[]> {
  const open = await scope.db.invoice.findMany({
    where: { status: 'open' },
    select: { currency: true, amountRemainingMinor: true, dueDate: true },
  })
  const by = new Map<string, InvoiceTotals>()
  for (const i of open) {
    const t = by.get(i.currency) ?? {
      currency: i.currency,
      outstandingMinor: 0n,
      overdueMinor: 0n,
      outstanding: '',
      overdue: '',
      openCount: 0,
      overdueCount: 0,
    }
    t.outstandingMinor += i.amountRemainingMinor
    t.openCount++
    if (i.dueDate && i.dueDate < todayDate) {
      t.overdueMinor += i.amountRemainingMinor
      t.overdueCount++
    }
    by.set(i.currency, t)
  }
  return [...by.values()]
    .sort((a, b) => a.currency.localeCompare(b.currency))
    .map((t) => ({
      ...t,
      outstanding: formatMoney(money(t.outstandingMinor, toCurrency(t.currency))),
      overdue: formatMoney(money(t.overdueMinor, toCurrency(t.currency))),
    }))
}

async function currenciesOf(scope: TenantScope): Promise<string[]> {
  const rows = await scope.db.invoice.findMany({ distinct: ['currency'], select: { currency: true } })
  return rows.map((r) => r.currency).sort()
}
