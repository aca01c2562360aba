import { toCsv } from '../csv/csv.ts'
import PDFDocument from 'pdfkit'
import { AppError } from '../errors/app-error.ts'
import type { Currency } from '../money/currency.ts'
import { formatMoney, money } from '../money/money.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { parsePeriod } from './reporting-period.ts'

export interface StatementLine {
  date: string
  kind: string
  description: string
  amountMinor: bigint
  charges: { label: string; amountMinor: bigint; trace: string[] }[]
}

export interface Statement {
  partner: string
  period: string
  from: string
  to: string
  accounts: { currency: string; openingMinor: bigint; lines: StatementLine[]; closingMinor: bigint }[]
}

/**
 * The statement of account for one period: the receivable at the start, every posting that moved it
 * (reports with their charges and traces, reversals from restatements, advances, payments), and the
 * balance at the end. The same ledger gives the same statement, byte for byte.
 */
export async function partnerStatement(scope: TenantScope, periodText: string): Promise<Statement> {
  assertCan(scope, 'statements.view')
  const period = parsePeriod(periodText)
  if (!period) throw new AppError('invalid_input', 'Use a period like 2027-Q1 or 2027-03.')
  const from = new Date(`${period.start}T00:00:00Z`)
  const to = new Date(`${period.end}T00:00:00Z`)
  const accounts = await scope.db.ledgerAccount.findMany({
    where: { type: 'royalty_receivable' },
    orderBy: { currency: 'asc' },
  })
  const result: Statement = {
    partner: scope.organization.name,
    period: period.tag,
    from: period.start,
    to: period.end,
    accounts: [],
  }
  for (const account of accounts) {
    const before = await scope.db.journalLine.aggregate({
      where: { accountId: account.id, entry: { effectiveDate: { lt: from } } },
      _sum: { debitMinor: true, creditMinor: true },
    })
    const opening = (before._sum.debitMinor ?? 0n) - (before._sum.creditMinor ?? 0n)
    const entries = await scope.db.journalEntry.findMany({
      where: {
        currency: account.currency,
        effectiveDate: { gte: from, lt: to },
        lines: { some: { accountId: account.id } },
      },
      include: { lines: { where: { accountId: account.id } } },
      orderBy: [{ effectiveDate: 'asc' }, { seq: 'asc' }],
    })
    const charges = await scope.db.royaltyCharge.findMany({
      where: { journalEntryId: { in: entries.map((e) => e.id) } },
      orderBy: { position: 'asc' },
    })
    const lines: StatementLine[] = entries.map((e) => ({
      date: e.effectiveDate.toISOString().slice(0, 10),
      kind: e.kind,
      description: e.description,
      amountMinor: e.lines.reduce((s, l) => s + l.debitMinor - l.creditMinor, 0n),
      charges: charges
        .filter((c) => c.journalEntryId === e.id)
        .map((c) => ({ label: c.label, amountMinor: c.amountMinor, trace: c.trace as string[] })),
    }))
    result.accounts.push({
      currency: account.currency,
      openingMinor: opening,
      lines,
      closingMinor: opening + lines.reduce((s, l) => s + l.amountMinor, 0n),
    })
  }
  return result
}

const fmt = (m: bigint, c: string) => formatMoney(money(m, c as Currency))

export function statementCsv(s: Statement): string {
  const rows = [['currency', 'date', 'kind', 'description', 'amount_minor', 'balance_minor']]
  for (const a of s.accounts) {
    let balance = a.openingMinor
    rows.push([a.currency, s.from, 'opening_balance', `Opening balance ${s.period}`, '', balance.toString()])
    for (const l of a.lines) {
      balance += l.amountMinor
      rows.push([a.currency, l.date, l.kind, l.description, l.amountMinor.toString(), balance.toString()])
    }
    rows.push([a.currency, s.to, 'closing_balance', `Closing balance ${s.period}`, '', a.closingMinor.toString()])
  }
  return toCsv(rows)
}

export async function statementPdf(s: Statement): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    info: {
      Title: `Statement ${s.partner} ${s.period}`,
      Author: 'ggml.ai',
      CreationDate: new Date(`${s.to}T00:00:00Z`),
      ModDate: new Date(`${s.to}T00:00:00Z`),
    },
  })
  const chunks: Buffer[] = []
  doc.on('data', (c: Buffer) => chunks.push(c))
  const done = new Promise<void>((r) => doc.on('end', () => r()))
  doc.font('Helvetica-Bold').fontSize(16).text(`Statement of account, ${s.period}`)
  doc
    .font('Helvetica')
    .fontSize(10)
    .text(`${s.partner} · ${s.from} to ${s.to} (exclusive) · issued by ggml.ai`)
    .moveDown()
  for (const a of s.accounts) {
    doc
      .font('Helvetica-Bold')
      .fontSize(11)
      .text(`${a.currency}: opening balance ${fmt(a.openingMinor, a.currency)}`)
      .moveDown(0.3)
    for (const l of a.lines) {
      doc
        .font('Helvetica-Bold')
        .fontSize(9)
        .text(`${l.date}  ${l.description}  ${fmt(l.amountMinor, a.currency)}`)
      doc.font('Helvetica').fontSize(8)
      for (const c of l.charges) {
        doc.text(`  ${c.label}: ${fmt(c.amountMinor, a.currency)}`)
        for (const t of c.trace) doc.fillColor('#555').text(`    ${t}`).fillColor('#000')
      }
      doc.moveDown(0.3)
    }
    doc
      .font('Helvetica-Bold')
      .fontSize(11)
      .text(`Closing balance ${fmt(a.closingMinor, a.currency)}`)
      .moveDown()
  }
  doc.end()
  await done
  return Buffer.concat(chunks)
}
