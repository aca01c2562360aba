import { monthsBetween } from '../kernel/calendar/months.ts'
import { BrandedDocument } from '../platform/documents/branded-document.ts'
import type { Party } from '../platform/documents/issuer.ts'
import { toCsv } from '../platform/csv/csv.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { toCurrency } from '../kernel/money/currency.ts'
import { formatMoney, money } from '../kernel/money/money.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { parsePeriod, periodOf } from './reporting-period.ts'
import { readStringList } from '../platform/db/json-column.ts'

export interface StatementLine {
  /** The day it was booked. */
  postedOn: string
  /** The period it is for ("2027-Q2"), when it is for one. */
  servicePeriod: string | null
  kind: string
  description: string
  /** Signed change of what the partner owes. */
  amountMinor: bigint
  charges: { label: string; amountMinor: bigint; trace: string[] }[]
}

export interface StatementAccount {
  currency: string
  /** Everything booked for the period's service, whenever it was booked (restatements included). */
  charges: StatementLine[]
  chargesTotalMinor: bigint
  /** What the partner owed at the start of the period, every booking during it, and the balance at its end. */
  openingMinor: bigint
  activity: StatementLine[]
  closingMinor: bigint
}

export interface Statement {
  partner: string
  period: string
  from: string
  /** Exclusive. */
  to: string
  accounts: StatementAccount[]
}

const day = (d: Date) => d.toISOString().slice(0, 10)
const tagOf = (start: Date | null, end: Date | null) =>
  start && end ? periodOf(day(start), monthsBetween(day(start), day(end))).tag : null

/**
 * The statement of one period, in two parts that each add up. The charges for the period: every
 * posting whose service falls in it (a report's charges with their traces, and the reversals and
 * re-ratings of later restatements), whatever day it was booked. The account: the balance at the
 * start, every booking dated in the period (charges for any period, payments, credits), the balance at
 * the end. Each line shows both dates. The same ledger gives the same statement, byte for byte.
 */
export async function partnerStatement(scope: TenantScope, periodText: string): Promise<Statement> {
  assertCan(scope, 'statements.view')
  const period = parsePeriod(periodText)
  if (!period)
    throw new AppError('invalid_input', 'Use a period like 2027-Q1 or 2027-03.', {
      period: ['Use a period like 2027-Q1 (quarter) or 2027-03 (month).'],
    })
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
  // Each currency's account is read on its own; within one, what does not depend on another read is
  // asked together (a page of seven sequential queries per currency waited for each in turn).
  result.accounts = await Promise.all(
    accounts.map(async (account): Promise<StatementAccount> => {
      const entries = (where: object) =>
        scope.db.journalEntry.findMany({
          where: { currency: account.currency, lines: { some: { accountId: account.id } }, ...where },
          include: { lines: { where: { accountId: account.id } } },
          orderBy: [{ effectiveDate: 'asc' }, { seq: 'asc' }],
        })
      const [forService, booked, before] = await Promise.all([
        entries({ servicePeriodStart: { gte: from, lt: to } }),
        entries({ effectiveDate: { gte: from, lt: to } }),
        scope.db.journalLine.aggregate({
          where: { accountId: account.id, entry: { effectiveDate: { lt: from } } },
          _sum: { debitMinor: true, creditMinor: true },
        }),
      ])
      const charges = await scope.db.royaltyCharge.findMany({
        where: { journalEntryId: { in: [...forService, ...booked].map((e) => e.id) } },
        orderBy: { position: 'asc' },
      })
      const line = (e: (typeof booked)[number]): StatementLine => ({
        postedOn: day(e.effectiveDate),
        servicePeriod: tagOf(e.servicePeriodStart, e.servicePeriodEnd),
        kind: e.kind,
        description: e.description,
        amountMinor: e.lines.reduce((s, l) => s + l.debitMinor - l.creditMinor, 0n),
        charges: charges
          .filter((c) => c.journalEntryId === e.id)
          .map((c) => ({ label: c.label, amountMinor: c.amountMinor, trace: readStringList(c.trace) })),
      })
      const opening = (before._sum.debitMinor ?? 0n) - (before._sum.creditMinor ?? 0n)
      const forServiceLines = forService.map(line)
      const activity = booked.map(line)
      return {
        currency: account.currency,
        charges: forServiceLines,
        chargesTotalMinor: forServiceLines.reduce((s, l) => s + l.amountMinor, 0n),
        openingMinor: opening,
        activity,
        closingMinor: opening + activity.reduce((s, l) => s + l.amountMinor, 0n),
      }
    }),
  )
  return result
}

const fmt = (m: bigint, c: string) => formatMoney(money(m, toCurrency(c)))

export function statementCsv(s: Statement): string {
  const rows: unknown[][] = [
    ['section', 'currency', 'posted_on', 'service_period', 'kind', 'description', 'amount_minor', 'balance_minor'],
  ]
  for (const a of s.accounts) {
    for (const l of a.charges)
      rows.push(['charges', a.currency, l.postedOn, l.servicePeriod, l.kind, l.description, l.amountMinor, ''])
    rows.push(['charges', a.currency, '', s.period, 'total', `Charges for ${s.period}`, a.chargesTotalMinor, ''])
    let balance = a.openingMinor
    rows.push(['account', a.currency, s.from, '', 'opening_balance', `Opening balance ${s.period}`, '', balance])
    for (const l of a.activity) {
      balance += l.amountMinor
      rows.push(['account', a.currency, l.postedOn, l.servicePeriod, l.kind, l.description, l.amountMinor, balance])
    }
    rows.push(['account', a.currency, s.to, '', 'closing_balance', `Closing balance ${s.period}`, '', a.closingMinor])
  }
  return toCsv(rows)
}

/** The period's last day, as people read a period ("to 2026-12-31"); `to` is the exclusive end the ledger uses. */
export const statementLastDay = (s: Pick<Statement, 'to'>): string =>
  new Date(Date.parse(`${s.to}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10)

/**
 * The statement as a PDF in ggml's document layout (issue 28): per currency, the period's charges with
 * their traces, then the account from opening to closing balance, and how to pay what is owed. Dated by
 * the period's end, so the same ledger gives the same file.
 */
export async function statementPdf(
  s: Statement,
  billTo: Party,
  options: { payUrl?: string | null; compress?: boolean } = {},
): Promise<Buffer> {
  const lastDay = statementLastDay(s)
  const doc = new BrandedDocument(
    {
      kind: 'Statement',
      reference: s.period,
      date: s.to,
      title: `Statement ${s.partner} ${s.period}`,
      facts: [
        ['Statement date', lastDay],
        ['Period', `${s.from} to ${lastDay}`],
        ['Currencies', s.accounts.map((a) => a.currency).join(', ') || '-'],
      ],
    },
    { compress: options.compress },
  )
  doc.parties({ label: 'Statement for', party: billTo })
  const columns = [
    { label: 'Posted', width: 1.1 },
    { label: 'Description', width: 4 },
    { label: 'Amount', width: 1.3, align: 'right' as const },
  ]
  const row = (l: StatementLine, c: string) => ({
    cells: [
      l.postedOn,
      l.servicePeriod ? `${l.description} (for ${l.servicePeriod})` : l.description,
      fmt(l.amountMinor, c),
    ],
    notes: l.charges.flatMap((ch) => [`${ch.label}: ${fmt(ch.amountMinor, c)}`, ...ch.trace.map((t) => `   ${t}`)]),
  })
  let owed = false
  for (const a of s.accounts) {
    const m = (minor: bigint) => money(minor, toCurrency(a.currency))
    doc.heading(`${a.currency}: charges for ${s.period}`)
    if (a.charges.length === 0) doc.paragraph('Nothing is charged for this period.', { muted: true })
    else
      doc.table(
        columns,
        a.charges.map((l) => row(l, a.currency)),
      )
    doc.totals([{ label: `Charges for ${s.period}`, amount: m(a.chargesTotalMinor), strong: true }])
    doc.heading(`${a.currency}: your account in ${s.period}`)
    if (a.activity.length === 0) doc.paragraph('Nothing was booked in this period.', { muted: true })
    else
      doc.table(
        columns,
        a.activity.map((l) => row(l, a.currency)),
      )
    doc.totals([
      { label: 'Opening balance', amount: m(a.openingMinor) },
      { label: 'Closing balance', amount: m(a.closingMinor), strong: true },
    ])
    if (a.closingMinor > 0n) owed = true
  }
  if (owed) doc.payment({ payUrl: options.payUrl ?? null, reference: `${s.period} statement` })
  return doc.finish()
}
