import { BrandedDocument } from '../platform/documents/branded-document.ts'
import type { Party } from '../platform/documents/issuer.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { toCurrency } from '../kernel/money/currency.ts'
import { money } from '../kernel/money/money.ts'
import type { InvoiceDetail } from './invoice-detail.ts'

const statusWords: Record<string, string> = {
  open: 'Open',
  paid: 'Paid',
  void: 'Void',
  uncollectible: 'Uncollectible',
}

/**
 * The invoice as a PDF, in ggml's document layout (issue 28): ggml's legal entity and the partner's
 * billing details, its lines as billed with subtotal, tax and total, the credit notes and payments
 * against it, how to pay, and the charges and traces behind it. Dated by the invoice, not by when it
 * is rendered, so the same invoice gives the same file.
 */
export async function renderInvoicePdf(
  billTo: Party,
  inv: InvoiceDetail,
  options: { compress?: boolean } = {},
): Promise<Buffer> {
  const currency = toCurrency(inv.currency)
  const m = (minor: bigint) => money(minor, currency)
  const doc = new BrandedDocument(
    {
      kind: 'Invoice',
      reference: inv.number,
      date: inv.issuedOn ?? '1970-01-01',
      facts: [
        ['Issue date', inv.issuedOn ?? '-'],
        ['Due date', inv.dueDate ?? '-'],
        ['Currency', inv.currency],
        ['Status', inv.creditedInFull ? 'Credited in full' : (statusWords[inv.status] ?? inv.status)],
      ],
    },
    options,
  )
  doc.parties(
    { label: 'Bill to', party: billTo },
    { label: 'For', lines: [inv.description, ...(inv.servicePeriod ? [`Service period ${inv.servicePeriod}`] : [])] },
  )
  doc.table(
    [
      { label: 'Description', width: 4 },
      { label: 'Amount', width: 1, align: 'right' },
    ],
    inv.lines.map((l) => ({ cells: [l.description, l.amount] })),
  )
  const subtotal = inv.lines.reduce((s, l) => s + l.amountMinor, 0n)
  doc.totals([
    { label: 'Subtotal', amount: m(subtotal) },
    { label: 'Tax', amount: m(inv.totalMinor - subtotal), note: doc.issuer.taxNote },
    { label: 'Total', amount: m(inv.totalMinor), strong: true },
  ])
  const settled = [
    ...inv.creditNotes.map((n) => ({
      cells: [`Credit note ${n.number} (${n.on})${n.toBalance ? ', to your credit balance' : ''}`, `-${n.amount}`],
    })),
    ...(inv.paidFromBalance ? [{ cells: ['Paid from your credit balance', `-${inv.paidFromBalance}`] }] : []),
    ...inv.payments.map((p) => ({ cells: [`Payment received ${p.on}`, `-${p.amount}`] })),
  ]
  if (settled.length) {
    doc.heading('Credits and payments')
    doc.table(
      [
        { label: 'Description', width: 4 },
        { label: 'Amount', width: 1, align: 'right' },
      ],
      settled,
    )
    doc.totals([{ label: 'Left to pay', amount: m(inv.remainingMinor), strong: true }])
  }
  if (inv.remainingMinor > 0n || inv.status === 'open')
    doc.payment({ payUrl: inv.hostedUrl, reference: inv.number, dueDate: inv.dueDate })
  else doc.paragraph(inv.paidOn ? `Paid in full on ${inv.paidOn}. Thank you.` : 'Nothing is left to pay.')
  if (inv.charges.length) {
    doc.heading('How the charges were worked out')
    doc.table(
      [
        { label: 'Charge', width: 4 },
        { label: 'Amount', width: 1, align: 'right' },
      ],
      inv.charges.map((c) => ({ cells: [c.label, c.amount], notes: c.trace })),
    )
  }
  return doc.finish()
}

/**
 * One credit note as a PDF in the same layout: what it credits, against which invoice, and where the
 * money goes (off the invoice, or to the partner's credit balance that pays the next one).
 */
export async function renderCreditNotePdf(
  billTo: Party,
  inv: InvoiceDetail,
  creditNoteId: string,
  options: { compress?: boolean } = {},
): Promise<Buffer> {
  const n = inv.creditNotes.find((c) => c.id === creditNoteId)
  if (!n) throw new AppError('not_found', 'No such credit note on this invoice.')
  const amount = money(n.amountMinor, toCurrency(inv.currency))
  const doc = new BrandedDocument(
    {
      kind: 'Credit note',
      reference: n.number,
      date: n.on,
      facts: [
        ['Issue date', n.on],
        ['Credits invoice', inv.number],
        ['Currency', inv.currency],
      ],
    },
    options,
  )
  doc.parties(
    { label: 'Credit to', party: billTo },
    { label: 'Against', lines: [`Invoice ${inv.number}`, inv.description] },
  )
  doc.table(
    [
      { label: 'Reason', width: 4 },
      { label: 'Credit', width: 1, align: 'right' },
    ],
    [{ cells: [n.reason, n.amount] }],
  )
  doc.totals([
    { label: 'Subtotal', amount },
    { label: 'Tax', amount: money(0n, amount.currency), note: doc.issuer.taxNote },
    { label: 'Total credited', amount, strong: true },
  ])
  doc.paragraph(
    n.toBalance
      ? `Added to your credit balance with ${doc.issuer.legalName}: it pays your next invoices.`
      : `Taken off invoice ${inv.number}, which now has ${inv.remaining} left to pay.`,
  )
  return doc.finish()
}
