import { createHash } from 'node:crypto'
import { drawSignatureBlocks, SIGNATURE_ANCHORS } from '../contracts/render-contract-pdf.ts'
import { BrandedDocument } from '../platform/documents/branded-document.ts'
import type { Party } from '../platform/documents/issuer.ts'
import { toCurrency } from '../kernel/money/currency.ts'
import { formatMoney, money } from '../kernel/money/money.ts'

export interface StatementOfWork {
  reference: string
  title: string
  type: string
  currency: string
  startsOn: string
  endsOn: string | null
  /** The customer as its billing details name it (legal name, address, tax id). */
  customer: Party
  budgetHours: number
  budgetMinor: bigint
  acceptanceDays: number
  milestones: { seq: number; title: string; amountMinor: bigint; dueOn: string | null }[]
  team: { role: string; count: number }[]
  customerSigner: { name: string; email: string }
  ggmlSigner: { name: string; email: string }
  preparedOn: string
}

/**
 * A statement of work as a PDF in ggml's document layout (issue 28): the parties with their legal
 * details, the terms a customer agrees to (type, dates, budget, team by role), the milestones with
 * their amounts and total, how invoices are paid, and the two signature blocks DocuSign anchors to.
 * Deterministic, so the same terms render to the same bytes and hash.
 */
export async function renderSowPdf(
  s: StatementOfWork,
  options: { compress?: boolean } = {},
): Promise<{ bytes: Buffer; sha256: string }> {
  const m = (minor: bigint) => money(minor, toCurrency(s.currency))
  const doc = new BrandedDocument(
    {
      kind: 'Statement of work',
      reference: s.reference,
      date: s.preparedOn,
      title: `Statement of work ${s.reference}: ${s.title}`,
      facts: [
        ['Prepared', s.preparedOn],
        ['Starts', s.startsOn],
        ['Ends', s.endsOn ?? 'when completed'],
        ['Currency', s.currency],
      ],
    },
    options,
  )
  doc.parties(
    { label: 'Customer', party: s.customer },
    { label: 'Engagement', lines: [s.title, s.type.replaceAll('_', ' ')] },
  )
  doc.heading('Terms')
  const fixed = s.type === 'fixed_price'
  const terms: [string, string][] = [
    ['Type', s.type.replaceAll('_', ' ')],
    ['Term', `${s.startsOn} to ${s.endsOn ?? 'until completed'}`],
    [fixed ? 'Fixed price' : 'Budget', `${formatMoney(m(s.budgetMinor))}; ${s.budgetHours} hours`],
    ['Team', s.team.map((t) => `${t.count} ${t.role.replaceAll('_', ' ')}`).join(', ') || 'to be named'],
    fixed
      ? [
          'Acceptance',
          `The customer accepts or returns a delivered milestone within ${s.acceptanceDays} days; after that ` +
            'it is accepted as delivered. Each accepted milestone is invoiced in the next monthly run.',
        ]
      : ['Billing', 'Monthly, for approved time at the rate card in force on each day, and approved expenses.'],
    ['Payment', `Invoices are due 30 days after issue, online or by bank transfer to ${doc.issuer.legalName}.`],
  ]
  doc.table(
    [
      { label: 'Term', width: 1 },
      { label: 'Agreed', width: 3.5 },
    ],
    terms.map(([k, v]) => ({ cells: [k, v] })),
  )
  if (s.milestones.length) {
    doc.heading('Milestones')
    doc.table(
      [
        { label: '#', width: 0.4 },
        { label: 'Milestone', width: 3 },
        { label: 'Due', width: 1 },
        { label: 'Amount', width: 1.2, align: 'right' },
      ],
      s.milestones.map((x) => ({
        cells: [String(x.seq), x.title, x.dueOn ?? '-', formatMoney(m(x.amountMinor))],
      })),
    )
    const subtotal = s.milestones.reduce((t, x) => t + x.amountMinor, 0n)
    doc.totals([
      { label: 'Subtotal', amount: m(subtotal) },
      { label: 'Tax', amount: m(0n), note: doc.issuer.taxNote },
      { label: 'Total', amount: m(subtotal), strong: true },
    ])
  }
  doc.paragraph('Changes to budget or scope are made by change orders the customer approves in the ggml portal.', {
    size: 8,
    muted: true,
  })
  drawSignatureBlocks(doc.doc, [
    { who: s.customer.legalName, signer: s.customerSigner, anchor: SIGNATURE_ANCHORS.partner },
    { who: doc.issuer.legalName, signer: s.ggmlSigner, anchor: SIGNATURE_ANCHORS.ggml },
  ])
  const bytes = await doc.finish()
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex') }
}
