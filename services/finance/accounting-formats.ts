import { toCsv } from '../platform/csv/csv.ts'
import type { LedgerAccountType } from '../platform/db/generated/enums.ts'
import type { Currency } from '../kernel/money/currency.ts'
import { moneyDecimal, money } from '../kernel/money/money.ts'

// The files an accounting system imports a closed month's journal from (issue 32, decision 029).
// Pure: the same journal and mapping give the same bytes, so an export is repeatable.

export interface JournalLineOut {
  accountType: LedgerAccountType
  /** Finance's account: Xero imports by the code, QuickBooks Online by the name. */
  code: string
  name: string
  debitMinor: bigint
  creditMinor: bigint
  memo: string
}

export interface JournalOut {
  /** GGML-<posting number>: unique, stable, and short enough for QuickBooks' 21-character Journal No. */
  journalNo: string
  /** ISO date, the entry's effective date. */
  date: string
  currency: Currency
  description: string
  /** The organization the entry belongs to: QuickBooks' Name (the customer), a line note elsewhere. */
  partner: string
  /** Where the posting came from in the platform (its idempotency key). */
  sourceReference: string
  lines: JournalLineOut[]
}

export type ExportFormat = 'generic' | 'xero' | 'quickbooks'

export interface ExportFileOut {
  name: string
  format: ExportFormat
  content: string
}

/** Xero's import takes at most 300 lines a file (help.xero.com, "Enter multiple manual journals"). */
export const XERO_MAX_LINES = 300
/** Xero's TaxRate is mandatory; a journal of the books carries no tax of its own. */
export const XERO_TAX_RATE = 'Tax Exempt'

const amount = (minor: bigint, currency: Currency) => moneyDecimal(money(minor, currency))
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** "2027-03-31" → "31 Mar 2027": Xero's "dd mmm yyyy", which no regional setting reads the wrong way round. */
export const xeroDate = (iso: string) => `${iso.slice(8, 10)} ${MONTHS[Number(iso.slice(5, 7)) - 1]} ${iso.slice(0, 4)}`
/** "2027-03-31" → "03/31/2027": QuickBooks Online's MM/DD/YYYY (a US company's import). */
export const quickbooksDate = (iso: string) => `${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(0, 4)}`

/** Journals by date and number, each's debits before its credits, so the same journal writes the same bytes. */
export function ordered(journals: readonly JournalOut[]): JournalOut[] {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
  const num = (j: JournalOut) => BigInt(j.journalNo.replace(/\D/g, '') || '0')
  return [...journals]
    .sort((a, b) => cmp(a.date, b.date) || (num(a) < num(b) ? -1 : num(a) > num(b) ? 1 : cmp(a.journalNo, b.journalNo)))
    .map((j) => ({
      ...j,
      lines: [...j.lines].sort(
        (a, b) =>
          Number(b.debitMinor > 0n) - Number(a.debitMinor > 0n) ||
          cmp(a.code, b.code) ||
          cmp(a.accountType, b.accountType) ||
          (a.debitMinor + a.creditMinor > b.debitMinor + b.creditMinor ? -1 : 0) ||
          (a.debitMinor + a.creditMinor < b.debitMinor + b.creditMinor ? 1 : 0) ||
          cmp(a.memo, b.memo),
      ),
    }))
}

const lineNote = (j: JournalOut, memo: string) => `${j.partner}: ${memo}`

/** Debit and credit columns of decimals, one of them empty; every currency in one file. */
export function genericCsv(journals: readonly JournalOut[]): string {
  const rows: unknown[][] = [
    [
      'date',
      'journal_id',
      'account_code',
      'account_name',
      'debit',
      'credit',
      'currency',
      'memo',
      'source_reference',
      'partner',
    ],
  ]
  for (const j of ordered(journals))
    for (const l of j.lines)
      rows.push([
        j.date,
        j.journalNo,
        l.code,
        l.name,
        l.debitMinor ? amount(l.debitMinor, j.currency) : '',
        l.creditMinor ? amount(l.creditMinor, j.currency) : '',
        j.currency,
        l.memo,
        j.sourceReference,
        j.partner,
      ])
  return toCsv(rows)
}

export const XERO_HEADER = [
  '*Narration',
  '*Date',
  'Description',
  '*AccountCode',
  '*TaxRate',
  '*Amount',
  'TrackingName1',
  'TrackingOption1',
  'TrackingName2',
  'TrackingOption2',
]

/**
 * Xero's manual journal template: one signed Amount (a debit positive, a credit negative), lines
 * grouped into a journal by the same Narration and Date, so the narration starts with the journal's
 * number. A manual journal has no currency, so each currency is a file of its own, and a file holds at
 * most 300 lines, never splitting a journal.
 */
export function xeroCsvs(filePrefix: string, journals: readonly JournalOut[]): ExportFileOut[] {
  const byCurrency = new Map<Currency, JournalOut[]>()
  for (const j of ordered(journals)) byCurrency.set(j.currency, [...(byCurrency.get(j.currency) ?? []), j])
  const files: ExportFileOut[] = []
  for (const [currency, list] of [...byCurrency].sort(([a], [b]) => a.localeCompare(b))) {
    const parts: JournalOut[][] = [[]]
    let count = 0
    for (const j of list) {
      if (count + j.lines.length > XERO_MAX_LINES && parts.at(-1)!.length) {
        parts.push([])
        count = 0
      }
      parts.at(-1)!.push(j)
      count += j.lines.length
    }
    parts.forEach((part, i) => {
      const rows: unknown[][] = [XERO_HEADER]
      for (const j of part)
        for (const l of j.lines)
          rows.push([
            `${j.journalNo} ${j.description}`,
            xeroDate(j.date),
            lineNote(j, l.memo),
            l.code,
            XERO_TAX_RATE,
            amount(l.debitMinor - l.creditMinor, currency),
            '',
            '',
            '',
            '',
          ])
      const suffix = parts.length > 1 ? `-part${i + 1}` : ''
      files.push({ name: `${filePrefix}-xero-${currency}${suffix}.csv`, format: 'xero', content: toCsv(rows) })
    })
  }
  return files
}

export const QUICKBOOKS_HEADER = [
  'Journal No',
  'Journal Date',
  'Currency',
  'Memo',
  'Account Name',
  'Debits',
  'Credits',
  'Description',
  'Name',
  'Location',
  'Class',
]

/**
 * QuickBooks Online's journal entry import: lines grouped by Journal No, the account by its name,
 * Debits and Credits as positive decimals, the customer in Name (an A/R line needs one). The Currency
 * column carries each entry's currency, so every currency fits in one file.
 */
export function quickbooksCsv(journals: readonly JournalOut[]): string {
  const rows: unknown[][] = [QUICKBOOKS_HEADER]
  for (const j of ordered(journals))
    for (const l of j.lines)
      rows.push([
        j.journalNo,
        quickbooksDate(j.date),
        j.currency,
        j.description,
        l.name,
        l.debitMinor ? amount(l.debitMinor, j.currency) : '',
        l.creditMinor ? amount(l.creditMinor, j.currency) : '',
        l.memo,
        j.partner,
        '',
        '',
      ])
  return toCsv(rows)
}

/** Every file of one month's export, in a fixed order. */
export function journalFiles(period: string, journals: readonly JournalOut[]): ExportFileOut[] {
  const prefix = `ggml-journal-${period}`
  return [
    { name: `${prefix}-generic.csv`, format: 'generic', content: genericCsv(journals) },
    ...xeroCsvs(prefix, journals),
    { name: `${prefix}-quickbooks-online.csv`, format: 'quickbooks', content: quickbooksCsv(journals) },
  ]
}

/** Debits and credits per currency, and per account type and currency (for the trial balance). */
export function journalTotals(journals: readonly JournalOut[]) {
  const perCurrency = new Map<string, { debitsMinor: bigint; creditsMinor: bigint }>()
  const perAccount = new Map<string, { debitsMinor: bigint; creditsMinor: bigint }>()
  const add = (m: typeof perCurrency, k: string, d: bigint, c: bigint) => {
    const t = m.get(k) ?? { debitsMinor: 0n, creditsMinor: 0n }
    m.set(k, { debitsMinor: t.debitsMinor + d, creditsMinor: t.creditsMinor + c })
  }
  for (const j of journals)
    for (const l of j.lines) {
      add(perCurrency, j.currency, l.debitMinor, l.creditMinor)
      add(perAccount, `${l.accountType} ${j.currency}`, l.debitMinor, l.creditMinor)
    }
  return { perCurrency, perAccount }
}
