import PDFDocument from 'pdfkit'
import { formatMoney, type Money } from '../../kernel/money/money.ts'
import { formatIban, issuer, type Issuer, type Party } from './issuer.ts'

// ggml's palette (app/styles/app.css): the ink of the header and mark, its lit diagonal, the other cells.
const INK = '#0d1b2a'
const ACCENT = '#ff8a3d'
const CELL = '#5b8fd1'
const MUTED = '#57606a'
const RULE = '#d0d7de'
const BAND = '#f1f4f8'

const MARGIN = 50

export interface DocumentInfo {
  /** What the document is, as its title says it: "Invoice", "Statement", "Credit note", "Statement of work". */
  kind: string
  /** Its number or period: "INV-0042", "2027-Q1". */
  reference: string
  /** The day it speaks for; also its creation date, so the same document renders to the same bytes. */
  date: string
  title?: string
  /** Facts printed under the title, right of the issuer: issue date, due date, currency, status. */
  facts: [label: string, value: string][]
}

export interface Column {
  label: string
  /** Share of the table's width. */
  width: number
  align?: 'left' | 'right'
}

/**
 * The one layout of ggml's documents (issue 28): the logo mark and ggml's legal entity, address and tax
 * id on top, the party billed, an items table, totals, how to pay and a footer with the legal line and
 * page numbers on every page. Invoices, statements, credit notes and statements of work draw their own
 * content through it; pdfkit stays reachable as `doc` for what only one of them needs.
 */
export class BrandedDocument {
  readonly doc: PDFKit.PDFDocument
  readonly issuer: Issuer
  private readonly chunks: Buffer[] = []
  private readonly done: Promise<void>

  constructor(
    readonly info: DocumentInfo,
    options: { compress?: boolean } = {},
  ) {
    const at = new Date(`${info.date}T00:00:00Z`)
    this.issuer = issuer()
    this.doc = new PDFDocument({
      size: 'A4',
      margin: MARGIN,
      bufferPages: true,
      compress: options.compress ?? true,
      info: {
        Title: info.title ?? `${info.kind} ${info.reference}`,
        Author: this.issuer.legalName,
        CreationDate: at,
        ModDate: at,
      },
    })
    this.doc.on('data', (c: Buffer) => this.chunks.push(c))
    this.done = new Promise((resolve) => this.doc.on('end', () => resolve()))
    this.header()
  }

  get width(): number {
    return this.doc.page.width - 2 * MARGIN
  }

  /** ggml's mark: a 3×3 tensor whose diagonal is lit (app/components/public-layout.tsx), at any size. */
  logoMark(x: number, y: number, size: number): void {
    const s = size / 32
    const d = this.doc
    d.save()
    d.roundedRect(x, y, 32 * s, 32 * s, 8 * s).fill(INK)
    for (let row = 0; row < 3; row++)
      for (let col = 0; col < 3; col++) {
        const lit = row === col
        d.fillOpacity(lit ? 1 : 0.55)
          .roundedRect(x + (5 + col * 8) * s, y + (5 + row * 8) * s, 6 * s, 6 * s, (lit ? 3 : 1.5) * s)
          .fill(lit ? ACCENT : CELL)
      }
    d.restore()
    d.fillOpacity(1)
  }

  private header(): void {
    const d = this.doc
    const top = MARGIN
    this.logoMark(MARGIN, top, 34)
    d.fillColor(INK)
      .font('Helvetica-Bold')
      .fontSize(18)
      .text('ggml', MARGIN + 44, top + 7, { continued: true })
    d.fillColor(ACCENT).text('.ai')
    const right = MARGIN + this.width / 2
    d.fillColor(INK)
      .font('Helvetica-Bold')
      .fontSize(20)
      .text(this.info.kind, right, top, { width: this.width / 2, align: 'right' })
    d.font('Helvetica').fontSize(10).fillColor(MUTED)
    d.text(this.info.reference, right, d.y + 2, { width: this.width / 2, align: 'right' })
    // The issuer (left) and the document's facts (right), side by side.
    const blockTop = top + 56
    const i = this.issuer
    d.fillColor(INK).font('Helvetica-Bold').fontSize(9).text(i.legalName, MARGIN, blockTop)
    d.font('Helvetica').fillColor(MUTED)
    for (const line of i.addressLines) d.text(line)
    if (i.taxId) d.text(`Tax ID ${i.taxId}`)
    d.text(i.email)
    const leftBottom = d.y
    let y = blockTop
    for (const [label, value] of this.info.facts) {
      d.font('Helvetica').fillColor(MUTED).fontSize(9)
      d.text(label, right, y, { width: this.width / 4, lineBreak: false })
      d.font('Helvetica-Bold').fillColor(INK)
      d.text(value, right + this.width / 4, y, { width: this.width / 4, align: 'right', lineBreak: false })
      y += 14
    }
    d.y = Math.max(leftBottom, y) + 12
    d.moveTo(MARGIN, d.y)
      .lineTo(MARGIN + this.width, d.y)
      .lineWidth(2)
      .strokeColor(ACCENT)
      .stroke()
    d.y += 14
    d.x = MARGIN
    d.fillColor(INK)
  }

  /** Who the document is for (bill to, customer), with a second block beside it when there is one. */
  parties(left: { label: string; party: Party }, right?: { label: string; lines: string[] }): void {
    const d = this.doc
    const top = d.y
    const col = this.width / 2 - 10
    this.label(left.label, MARGIN, top)
    d.font('Helvetica-Bold')
      .fontSize(10)
      .fillColor(INK)
      .text(left.party.legalName, MARGIN, d.y + 2, { width: col })
    d.font('Helvetica').fontSize(9)
    for (const line of left.party.addressLines) d.text(line, { width: col })
    if (left.party.taxId) d.text(`Tax ID ${left.party.taxId}`, { width: col })
    const leftBottom = d.y
    let rightBottom = top
    if (right) {
      const x = MARGIN + this.width / 2 + 10
      this.label(right.label, x, top)
      d.font('Helvetica').fontSize(9).fillColor(INK)
      d.text(right.lines[0] ?? '', x, d.y + 2, { width: col })
      for (const line of right.lines.slice(1)) d.text(line, x, d.y, { width: col })
      rightBottom = d.y
    }
    d.x = MARGIN
    d.y = Math.max(leftBottom, rightBottom) + 16
  }

  private label(text: string, x: number, y: number): void {
    this.doc
      .font('Helvetica-Bold')
      .fontSize(8)
      .fillColor(MUTED)
      .text(text.toUpperCase(), x, y, { characterSpacing: 0.6 })
  }

  heading(text: string): void {
    this.room(40)
    this.doc.font('Helvetica-Bold').fontSize(12).fillColor(INK).text(text, MARGIN, this.doc.y)
    this.doc.moveDown(0.4)
  }

  paragraph(text: string, options: { size?: number; muted?: boolean } = {}): void {
    this.doc
      .font('Helvetica')
      .fontSize(options.size ?? 9)
      .fillColor(options.muted ? MUTED : INK)
      .text(text, MARGIN, this.doc.y, { width: this.width })
    this.doc.fillColor(INK)
  }

  /** A table with a shaded header row; each row may carry smaller lines under it (a charge's trace). */
  table(columns: Column[], rows: { cells: string[]; notes?: string[] }[]): void {
    const d = this.doc
    const total = columns.reduce((s, c) => s + c.width, 0)
    const widths = columns.map((c) => (c.width / total) * this.width)
    const xs = widths.map((_, i) => MARGIN + widths.slice(0, i).reduce((s, w) => s + w, 0))
    const headerRow = () => {
      this.room(40)
      const y = d.y
      d.rect(MARGIN, y, this.width, 18).fill(BAND)
      d.font('Helvetica-Bold').fontSize(8).fillColor(MUTED)
      columns.forEach((c, i) =>
        d.text(c.label.toUpperCase(), xs[i]! + 6, y + 5, {
          width: widths[i]! - 12,
          align: c.align ?? 'left',
          lineBreak: false,
        }),
      )
      d.y = y + 22
    }
    headerRow()
    for (const row of rows) {
      d.font('Helvetica').fontSize(9)
      const h = Math.max(...row.cells.map((c, i) => d.heightOfString(c, { width: widths[i]! - 12 })))
      if (d.y + h + 10 > d.page.height - MARGIN - 30) {
        d.addPage()
        headerRow()
      }
      const y = d.y
      row.cells.forEach((c, i) => {
        d.font('Helvetica').fontSize(9).fillColor(INK)
        d.text(c, xs[i]! + 6, y, { width: widths[i]! - 12, align: columns[i]!.align ?? 'left' })
      })
      d.y = y + h + 2
      for (const n of row.notes ?? []) {
        this.room(12)
        d.font('Helvetica')
          .fontSize(7.5)
          .fillColor(MUTED)
          .text(n, xs[0]! + 14, d.y, { width: this.width - 20 })
      }
      d.y += 4
      d.moveTo(MARGIN, d.y)
        .lineTo(MARGIN + this.width, d.y)
        .lineWidth(0.5)
        .strokeColor(RULE)
        .stroke()
      d.y += 5
    }
    d.x = MARGIN
    d.fillColor(INK)
  }

  /** Amounts under the table, right-aligned; the strong one (the total) in bold with a rule above it. */
  totals(rows: { label: string; amount: Money; strong?: boolean; note?: string }[]): void {
    const d = this.doc
    this.room(rows.length * 18 + 10)
    const x = MARGIN + this.width / 2
    const w = this.width / 2
    d.y += 4
    for (const r of rows) {
      if (r.strong) {
        d.moveTo(x, d.y)
          .lineTo(x + w, d.y)
          .lineWidth(1)
          .strokeColor(INK)
          .stroke()
        d.y += 5
      }
      const y = d.y
      d.font(r.strong ? 'Helvetica-Bold' : 'Helvetica')
        .fontSize(r.strong ? 11 : 9)
        .fillColor(INK)
      d.text(r.label, x, y, { width: w / 2, lineBreak: false })
      d.text(formatMoney(r.amount), x + w / 2, y, { width: w / 2, align: 'right', lineBreak: false })
      d.y = y + (r.strong ? 16 : 13)
      if (r.note) {
        d.font('Helvetica').fontSize(7.5).fillColor(MUTED).text(r.note, x, d.y, { width: w })
        d.y += 2
      }
    }
    d.x = MARGIN
    d.y += 10
    d.fillColor(INK)
  }

  /** How to pay: the online link when there is one, and ggml's bank account with the reference to quote. */
  payment(options: { payUrl: string | null; reference: string; dueDate?: string | null }): void {
    const d = this.doc
    this.room(110)
    const top = d.y
    const b = this.issuer.bank
    d.rect(MARGIN, top, this.width, 4).fill(ACCENT)
    d.y = top + 12
    this.label('How to pay', MARGIN, d.y)
    d.font('Helvetica').fontSize(9).fillColor(INK)
    if (options.dueDate) d.text(`Please pay by ${options.dueDate}.`, MARGIN, d.y + 2)
    if (options.payUrl) {
      d.text('Pay online by card or bank debit: ', MARGIN, d.y + 2, { continued: true })
      d.fillColor('#0b5cad').text(options.payUrl, { link: options.payUrl, underline: true })
      d.fillColor(INK)
    }
    d.text('Or by bank transfer:', MARGIN, d.y + 4)
    const rows: [string, string][] = [
      ['Account holder', b.holder],
      ['Bank', b.name],
      ['IBAN', formatIban(b.iban)],
      ['BIC / SWIFT', b.bic],
      ['Reference', options.reference],
    ]
    for (const [k, v] of rows) {
      const y = d.y + 1
      d.font('Helvetica')
        .fillColor(MUTED)
        .text(k, MARGIN + 10, y, { width: 110, lineBreak: false })
      d.font('Helvetica-Bold')
        .fillColor(INK)
        .text(v, MARGIN + 120, y, { width: this.width - 120, lineBreak: false })
      d.y = y + 12
    }
    d.x = MARGIN
    d.y += 10
  }

  /** A new page when less than `height` points are left above the footer. */
  room(height: number): void {
    if (this.doc.y + height > this.doc.page.height - MARGIN - 30) this.doc.addPage()
  }

  /** Writes the footer on every page and returns the file. */
  async finish(): Promise<Buffer> {
    const d = this.doc
    const range = d.bufferedPageRange()
    const i = this.issuer
    const legal = [i.legalName, i.addressLines.join(', '), i.taxId ? `Tax ID ${i.taxId}` : null]
      .filter(Boolean)
      .join(' · ')
    for (let p = range.start; p < range.start + range.count; p++) {
      d.switchToPage(p)
      const bottom = d.page.margins.bottom
      d.page.margins.bottom = 0
      const y = d.page.height - MARGIN + 10
      d.moveTo(MARGIN, y - 6)
        .lineTo(MARGIN + this.width, y - 6)
        .lineWidth(0.5)
        .strokeColor(RULE)
        .stroke()
      d.font('Helvetica').fontSize(7).fillColor(MUTED)
      d.text(legal, MARGIN, y, { width: this.width - 170, lineBreak: false })
      d.text(`${this.info.reference} · page ${p - range.start + 1} of ${range.count}`, MARGIN + this.width - 160, y, {
        width: 160,
        align: 'right',
        lineBreak: false,
      })
      d.page.margins.bottom = bottom
    }
    d.end()
    await this.done
    return Buffer.concat(this.chunks)
  }
}
