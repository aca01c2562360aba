import { AppError } from '../platform/errors/app-error.ts'
import { toCurrency } from '../kernel/money/currency.ts'
import { formatMoney, money } from '../kernel/money/money.ts'
import { todayUtc } from '../platform/clock.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { readStringList } from '../platform/db/json-column.ts'
import { readInvoiceLines } from './invoice-lines.ts'

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null)

export interface InvoiceDetail {
  id: string
  number: string
  description: string
  status: string
  currency: string
  issuedOn: string | null
  dueDate: string | null
  overdueDays: number
  paidOn: string | null
  /** Paid by credit notes alone: no money moved. */
  creditedInFull: boolean
  servicePeriod: string | null
  report: { id: string; revision: number } | null
  hostedUrl: string | null
  lastFailure: string | null
  /** What the invoice bills, as issued. */
  lines: { description: string; amount: string; amountMinor: bigint }[]
  total: string
  /** The documents' figures (issue 28), in minor units: the total as issued and what is left to pay. */
  totalMinor: bigint
  remainingMinor: bigint
  /** How each royalty line was worked out: the rating's charges with their traces. */
  charges: { label: string; amount: string; trace: string[] }[]
  creditNotes: {
    id: string
    number: string
    amount: string
    amountMinor: bigint
    reason: string
    toBalance: boolean
    on: string
  }[]
  payments: { on: string; amount: string; description: string }[]
  paidFromBalance: string | null
  remaining: string
  disputes: { id: string; status: string; amount: string; reason: string }[]
}

/**
 * One invoice as the partner reads it: its lines as billed, the charges behind them with their
 * traces, the credit notes against it, the cash and credit balance that paid it, and what is left.
 */
export async function invoiceDetail(scope: TenantScope, invoiceId: string): Promise<InvoiceDetail> {
  assertCan(scope, 'invoices.view')
  const invoice = await scope.db.invoice.findUnique({ where: { id: invoiceId } })
  if (!invoice || invoice.status === 'draft') throw new AppError('not_found', 'No such invoice.')
  const fmt = (m: bigint) => formatMoney(money(m, toCurrency(invoice.currency)))
  const entry = await scope.db.journalEntry.findUniqueOrThrow({ where: { id: invoice.journalEntryId } })
  const [charges, creditNotes, payment, disputes, report] = await Promise.all([
    scope.db.royaltyCharge.findMany({ where: { journalEntryId: entry.id }, orderBy: { position: 'asc' } }),
    scope.db.creditNote.findMany({ where: { invoiceId: invoice.id }, orderBy: { createdAt: 'asc' } }),
    invoice.stripeInvoiceId
      ? scope.db.journalEntry.findFirst({
          where: { kind: 'payment', idempotencyKey: `payment:stripe:${invoice.stripeInvoiceId}` },
          include: { lines: true },
        })
      : null,
    scope.db.dispute.findMany({ where: { invoiceId: invoice.id }, orderBy: { createdAt: 'asc' } }),
    invoice.reportId ? scope.db.royaltyReport.findUnique({ where: { id: invoice.reportId } }) : null,
  ])
  const lines = readInvoiceLines(invoice.lines).map((l) => ({
    description: l.description,
    amount: fmt(BigInt(l.amountMinor)),
    amountMinor: BigInt(l.amountMinor),
  }))
  const remainingMinor = invoice.status === 'open' ? invoice.amountRemainingMinor : 0n
  const today = todayUtc()
  const due = day(invoice.dueDate)
  return {
    id: invoice.id,
    number: invoice.number ?? 'issuing…',
    description: invoice.description,
    status: invoice.status,
    currency: invoice.currency,
    issuedOn: day(invoice.issuedAt ?? invoice.createdAt),
    dueDate: due,
    overdueDays:
      invoice.status === 'open' && due && due < today
        ? Math.round((Date.parse(today) - Date.parse(due)) / 86_400_000)
        : 0,
    paidOn: day(invoice.paidAt),
    // Settled by credit notes alone, not by a payment (see list-invoices.ts).
    creditedInFull: invoice.status === 'paid' && invoice.amountPaidMinor === 0n && invoice.paidFromBalanceMinor === 0n,
    servicePeriod: entry.periodTag,
    report: report ? { id: report.id, revision: report.revision } : null,
    hostedUrl: invoice.status === 'open' ? invoice.hostedUrl : null,
    lastFailure: invoice.lastFailure,
    lines,
    total: fmt(invoice.amountDueMinor),
    totalMinor: invoice.amountDueMinor,
    remainingMinor,
    charges: charges.map((c) => ({ label: c.label, amount: fmt(c.amountMinor), trace: readStringList(c.trace) })),
    creditNotes: creditNotes
      .filter((n) => n.stripeCreditNoteId || n.stripeBalanceTxnId)
      .map((n) => ({
        id: n.id,
        number: n.number ?? '—',
        amount: fmt(n.amountMinor),
        amountMinor: n.amountMinor,
        reason: n.reason,
        toBalance: n.target === 'customer_balance',
        on: day(n.createdAt)!,
      })),
    payments: payment
      ? [
          {
            on: day(payment.effectiveDate)!,
            amount: fmt(payment.lines.reduce((s, l) => s + l.debitMinor, 0n)),
            description: payment.description,
          },
        ]
      : [],
    paidFromBalance: invoice.paidFromBalanceMinor > 0n ? fmt(invoice.paidFromBalanceMinor) : null,
    remaining: fmt(remainingMinor),
    disputes: disputes.map((d) => ({ id: d.id, status: d.status, amount: fmt(d.amountMinor), reason: d.reason })),
  }
}
