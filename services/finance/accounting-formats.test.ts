import { describe, expect, it } from 'vitest'
import {
  genericCsv,
  journalFiles,
  journalTotals,
  quickbooksCsv,
  quickbooksDate,
  xeroCsvs,
  xeroDate,
  XERO_MAX_LINES,
  type JournalOut,
} from './accounting-formats.ts'

// A royalty report posted on 31 March (receivable up, revenue up), and a payment in yen on 2 March:
// amounts written by hand from the minor units, so the writers are checked against arithmetic, not
// against themselves.
const report: JournalOut = {
  journalNo: 'GGML-42',
  date: '2027-03-31',
  currency: 'USD',
  description: 'Q1 royalties, Acme',
  partner: 'Acme Devices, Inc.',
  sourceReference: 'report:r1',
  lines: [
    // Credits first on purpose: the writers put a journal's debits first.
    {
      accountType: 'royalty_revenue',
      code: '4000',
      name: 'Royalty revenue',
      debitMinor: 0n,
      creditMinor: 1_200_005n,
      memo: 'Royalties',
    },
    {
      accountType: 'royalty_receivable',
      code: '1100',
      name: 'Accounts Receivable',
      debitMinor: 1_200_005n,
      creditMinor: 0n,
      memo: 'Royalties',
    },
  ],
}
const payment: JournalOut = {
  journalNo: 'GGML-7',
  date: '2027-03-02',
  currency: 'JPY',
  description: 'Payment pi_1',
  partner: '=cmd',
  sourceReference: 'payment:pi_1',
  lines: [
    { accountType: 'cash', code: '1000', name: 'Bank', debitMinor: 150_000n, creditMinor: 0n, memo: 'Payment' },
    {
      accountType: 'royalty_receivable',
      code: '1100',
      name: 'Accounts Receivable',
      debitMinor: 0n,
      creditMinor: 150_000n,
      memo: 'Payment',
    },
  ],
}

describe('the accounting export writers (issue 32)', () => {
  it('write dates the way each product reads them', () => {
    expect(xeroDate('2027-03-31')).toBe('31 Mar 2027')
    expect(xeroDate('2027-12-01')).toBe('01 Dec 2027')
    expect(quickbooksDate('2027-03-02')).toBe('03/02/2027')
  })

  it('generic: one row per line, debit or credit in decimals of the currency, every currency in one file', () => {
    expect(genericCsv([report, payment])).toBe(
      'date,journal_id,account_code,account_name,debit,credit,currency,memo,source_reference,partner\n' +
        "2027-03-02,GGML-7,1000,Bank,150000,,JPY,Payment,payment:pi_1,'=cmd\n" +
        "2027-03-02,GGML-7,1100,Accounts Receivable,,150000,JPY,Payment,payment:pi_1,'=cmd\n" +
        '2027-03-31,GGML-42,1100,Accounts Receivable,12000.05,,USD,Royalties,report:r1,"Acme Devices, Inc."\n' +
        '2027-03-31,GGML-42,4000,Royalty revenue,,12000.05,USD,Royalties,report:r1,"Acme Devices, Inc."\n',
    )
  })

  it('Xero: a file per currency, a signed Amount (credit negative), the narration naming the journal', () => {
    const files = xeroCsvs('j', [report, payment])
    expect(files.map((f) => f.name)).toEqual(['j-xero-JPY.csv', 'j-xero-USD.csv'])
    const header =
      '*Narration,*Date,Description,*AccountCode,*TaxRate,*Amount,' +
      'TrackingName1,TrackingOption1,TrackingName2,TrackingOption2\n'
    expect(files[1]!.content).toBe(
      header +
        '"GGML-42 Q1 royalties, Acme",31 Mar 2027,"Acme Devices, Inc.: Royalties",1100,Tax Exempt,12000.05,,,,\n' +
        '"GGML-42 Q1 royalties, Acme",31 Mar 2027,"Acme Devices, Inc.: Royalties",4000,Tax Exempt,-12000.05,,,,\n',
    )
    // A cell a spreadsheet would run as a formula is defused, as in every export.
    expect(files[0]!.content).toBe(
      header +
        "GGML-7 Payment pi_1,02 Mar 2027,'=cmd: Payment,1000,Tax Exempt,150000,,,,\n" +
        "GGML-7 Payment pi_1,02 Mar 2027,'=cmd: Payment,1100,Tax Exempt,-150000,,,,\n",
    )
  })

  it('Xero: at most 300 lines a file, never splitting a journal', () => {
    // 151 two-line journals: 302 lines, so the last journal goes to a second file.
    const many = Array.from({ length: 151 }, (_, i) => ({ ...report, journalNo: `GGML-${i + 1}` }))
    const files = xeroCsvs('j', many)
    expect(files.map((f) => f.name)).toEqual(['j-xero-USD-part1.csv', 'j-xero-USD-part2.csv'])
    const rows = files.map((f) => f.content.trim().split('\n').length - 1)
    expect(rows).toEqual([XERO_MAX_LINES, 2])
    expect(files[1]!.content).toContain('GGML-151 Q1')
  })

  it('QuickBooks Online: Journal No groups lines, positive Debits and Credits, the partner as Name', () => {
    expect(quickbooksCsv([report])).toBe(
      'Journal No,Journal Date,Currency,Memo,Account Name,Debits,Credits,Description,Name,Location,Class\n' +
        'GGML-42,03/31/2027,USD,"Q1 royalties, Acme",Accounts Receivable,12000.05,,Royalties,"Acme Devices, Inc.",,\n' +
        'GGML-42,03/31/2027,USD,"Q1 royalties, Acme",Royalty revenue,,12000.05,Royalties,"Acme Devices, Inc.",,\n',
    )
  })

  it('the same journal in any order writes the same bytes', () => {
    const a = journalFiles('2027-03', [report, payment])
    const b = journalFiles('2027-03', [payment, { ...report, lines: [...report.lines].reverse() }])
    expect(b).toEqual(a)
    expect(a.map((f) => f.name)).toEqual([
      'ggml-journal-2027-03-generic.csv',
      'ggml-journal-2027-03-xero-JPY.csv',
      'ggml-journal-2027-03-xero-USD.csv',
      'ggml-journal-2027-03-quickbooks-online.csv',
    ])
  })

  it('totals debits and credits per currency and per account', () => {
    const { perCurrency, perAccount } = journalTotals([report, payment])
    expect(perCurrency.get('USD')).toEqual({ debitsMinor: 1_200_005n, creditsMinor: 1_200_005n })
    expect(perCurrency.get('JPY')).toEqual({ debitsMinor: 150_000n, creditsMinor: 150_000n })
    expect(perAccount.get('royalty_receivable JPY')).toEqual({ debitsMinor: 0n, creditsMinor: 150_000n })
  })
})
