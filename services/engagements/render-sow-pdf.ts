import { createHash } from 'node:crypto'
import PDFDocument from 'pdfkit'
import { drawSignatureBlocks, SIGNATURE_ANCHORS } from '../contracts/render-contract-pdf.ts'

export interface StatementOfWork {
  reference: string
  title: string
  type: string
  currency: string
  startsOn: string
  endsOn: string | null
  customer: { name: string }
  budgetHours: number
  budget: string
  acceptanceDays: number
  milestones: { seq: number; title: string; amount: string; dueOn: string | null }[]
  team: { role: string; count: number }[]
  customerSigner: { name: string; email: string }
  ggmlSigner: { name: string; email: string }
  preparedOn: string
}

/**
 * A statement of work as a PDF: the parties, the terms a customer agrees to (type, dates, budget,
 * milestones and acceptance, team by role) and the two signature blocks DocuSign anchors to.
 * Deterministic, so the same terms render to the same bytes and hash.
 */
export async function renderSowPdf(s: StatementOfWork): Promise<{ bytes: Buffer; sha256: string }> {
  const at = new Date(`${s.preparedOn}T00:00:00Z`)
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    info: { Title: `Statement of work ${s.reference}: ${s.title}`, Author: 'ggml.ai', CreationDate: at, ModDate: at },
  })
  const chunks: Buffer[] = []
  doc.on('data', (c: Buffer) => chunks.push(c))
  const done = new Promise<void>((resolve) => doc.on('end', () => resolve()))
  doc.font('Helvetica-Bold').fontSize(18).text(s.title)
  doc.moveDown(0.3).font('Helvetica').fontSize(10).fillColor('#444')
  doc.text(`Statement of work ${s.reference} · prepared ${s.preparedOn}`)
  doc.moveDown(1).fillColor('#000').font('Helvetica-Bold').fontSize(12).text('Parties')
  doc.font('Helvetica').fontSize(10)
  doc.text('Provider: ggml.ai, the company behind the GGML library and llama.cpp.')
  doc.text(`Customer: ${s.customer.name}.`)
  doc.moveDown(1).font('Helvetica-Bold').fontSize(12).text('Terms')
  doc.font('Helvetica').fontSize(10)
  const rows: [string, string][] = [
    ['Type', s.type.replaceAll('_', ' ')],
    ['Term', `${s.startsOn} to ${s.endsOn ?? 'until completed'}`],
    ['Currency', s.currency],
    [s.type === 'fixed_price' ? 'Fixed price' : 'Budget', `${s.budget}; ${s.budgetHours} hours`],
    ['Team', s.team.map((t) => `${t.count} ${t.role.replaceAll('_', ' ')}`).join(', ') || 'to be named'],
  ]
  if (s.type !== 'fixed_price')
    rows.push(['Billing', 'Monthly, for approved time at the rate card in force on each day, and approved expenses.'])
  else
    rows.push([
      'Acceptance',
      `The customer accepts or returns a delivered milestone within ${s.acceptanceDays} days; ` +
        'after that it is accepted as delivered. Each accepted milestone is invoiced in the next monthly run.',
    ])
  for (const [k, v] of rows) doc.text(`${k}: ${v}`)
  if (s.milestones.length) {
    doc.moveDown(1).font('Helvetica-Bold').fontSize(12).text('Milestones')
    doc.font('Helvetica').fontSize(10)
    for (const m of s.milestones) doc.text(`${m.seq}. ${m.title}: ${m.amount}${m.dueOn ? `, due ${m.dueOn}` : ''}`)
  }
  doc.moveDown(1).fontSize(8).fillColor('#444')
  doc.text('Changes to budget or scope are made by change orders the customer approves in the ggml portal.')
  doc.fillColor('#000')
  drawSignatureBlocks(doc, [
    { who: s.customer.name, signer: s.customerSigner, anchor: SIGNATURE_ANCHORS.partner },
    { who: 'ggml.ai', signer: s.ggmlSigner, anchor: SIGNATURE_ANCHORS.ggml },
  ])
  doc.end()
  await done
  const bytes = Buffer.concat(chunks)
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex') }
}
