import PDFDocument from 'pdfkit'
import type { InvoiceDetail } from './invoice-detail.ts'

/**
 * The invoice as a PDF: its lines as billed, the total, the charges and traces behind them, credit
 * notes and payments. Dated by the invoice, not by when it is rendered, so the same invoice gives the
 * same file.
 */
export async function renderInvoicePdf(partner: string, inv: InvoiceDetail): Promise<Buffer> {
  const issued = new Date(`${inv.issuedOn ?? '1970-01-01'}T00:00:00Z`)
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    info: { Title: `Invoice ${inv.number}`, Author: 'ggml.ai', CreationDate: issued, ModDate: issued },
  })
  const chunks: Buffer[] = []
  doc.on('data', (c: Buffer) => chunks.push(c))
  const done = new Promise<void>((r) => doc.on('end', () => r()))
  doc.font('Helvetica-Bold').fontSize(18).text(`Invoice ${inv.number}`)
  doc.font('Helvetica').fontSize(10).text(`ggml.ai · billed to ${partner}`)
  doc.text(`Issued ${inv.issuedOn ?? '—'} · due ${inv.dueDate ?? '—'} · ${inv.currency} · ${inv.status}`)
  if (inv.servicePeriod) doc.text(`For ${inv.servicePeriod}`)
  doc.moveDown()
  doc.font('Helvetica-Bold').fontSize(11).text(inv.description).moveDown(0.5)
  for (const l of inv.lines) doc.font('Helvetica').fontSize(10).text(`${l.description}    ${l.amount}`)
  doc.moveDown(0.3).font('Helvetica-Bold').text(`Total ${inv.total}`)
  for (const n of inv.creditNotes)
    doc
      .font('Helvetica')
      .text(`Credit note ${n.number} (${n.on}): −${n.amount}${n.toBalance ? ' to your credit balance' : ''}`)
  if (inv.paidFromBalance) doc.text(`Paid from your credit balance: ${inv.paidFromBalance}`)
  for (const p of inv.payments) doc.text(`Paid ${p.on}: ${p.amount}`)
  doc.font('Helvetica-Bold').text(`Left to pay ${inv.remaining}`).moveDown()
  if (inv.charges.length) {
    doc.font('Helvetica-Bold').fontSize(11).text('How the charges were worked out').moveDown(0.3)
    for (const c of inv.charges) {
      doc.font('Helvetica-Bold').fontSize(9).text(`${c.label}: ${c.amount}`)
      for (const t of c.trace) doc.font('Helvetica').fontSize(8).fillColor('#555').text(`  ${t}`).fillColor('#000')
      doc.moveDown(0.2)
    }
  }
  doc.end()
  await done
  return Buffer.concat(chunks)
}
