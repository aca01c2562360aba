import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hybridTerms } from '../../services/rating/sample-terms.ts'
import { db } from '../../services/platform/db/client.ts'
import { LedgerAccountType } from '../../services/platform/db/generated/enums.ts'
import { accountMapping } from '../../services/finance/account-mapping.ts'
import { exportPeriodJournal, type PeriodExport } from '../../services/finance/export-period-journal.ts'
import { trialBalanceTable } from '../../services/finance/finance-reports.ts'
import { saveAccountMapping } from '../../services/finance/save-account-mapping.ts'
import type { Actor } from '../../services/identity/actor.ts'
import { accountLabels } from '../../services/ledger/account-labels.ts'
import { postJournalEntry } from '../../services/ledger/post-journal-entry.ts'
import { recordPayment } from '../../services/ledger/record-payment.ts'
import { minorDigits, type Currency } from '../../services/kernel/money/currency.ts'
import { parseDecimal } from '../../services/kernel/money/decimal.ts'
import { travelTo } from '../../services/platform/clock.ts'
import { closePeriod } from '../../services/royalties/close-period.ts'
import { systemScope } from '../../services/tenancy/tenant-guard.ts'
import { startAppServer } from '../support/app-server.ts'
import { actorFor } from '../support/contracts.ts'
import { createOrganization, createUser } from '../support/fixtures.ts'
import { HttpClient } from '../support/http-client.ts'
import { readCsv } from '../support/read-csv.ts'
import { report, row, signedContractFor } from '../support/royalties.ts'

// Issue 32's accounting export, told as a story in 2038 (a year no other test closes): in February a
// partner's January report posts $12,000.00 (Premium 10,000 × $1.20), it pays $5,000.00, and a
// services customer is invoiced €3,000.00; finance closes February on 2 March and exports it.
const PERIOD = '2038-02'
const types = Object.values(LedgerAccountType)
/** Finance's chart: a distinct code and name per ledger account, so each file's lines map back. */
const chart = Object.fromEntries(types.map((t, i) => [t, { code: String(4000 + i * 10), name: accountLabels[t] }]))
const typeOfCode = new Map(types.map((t) => [chart[t]!.code, t]))
const typeOfName = new Map(types.map((t) => [chart[t]!.name, t]))

let finance: Actor
let partnerId: string
let contractId: string
let partnerScope: Awaited<ReturnType<typeof signedContractFor>>['partnerScope']
let first: PeriodExport

const minor = (s: string, currency: string) => (s ? parseDecimal(s, minorDigits(currency as Currency)) : 0n)
type Totals = Map<string, { debits: bigint; credits: bigint }>
const add = (m: Totals, key: string, debits: bigint, credits: bigint) => {
  const t = m.get(key) ?? { debits: 0n, credits: 0n }
  m.set(key, { debits: t.debits + debits, credits: t.credits + credits })
}

/** The trial balance's movement in the month, per "account type currency", from the read model finance reads. */
async function trialBalanceMovement(): Promise<Totals> {
  const [end, before] = await Promise.all([
    trialBalanceTable(finance, { asOf: '2038-02-28' }),
    trialBalanceTable(finance, { asOf: '2038-01-31' }),
  ])
  const m: Totals = new Map()
  for (const r of end.rows) add(m, `${String(r[1])} ${String(r[2])}`, BigInt(r[3]!), BigInt(r[4]!))
  for (const r of before.rows) add(m, `${String(r[1])} ${String(r[2])}`, -BigInt(r[3]!), -BigInt(r[4]!))
  for (const [k, v] of m) if (!v.debits && !v.credits) m.delete(k)
  return m
}

const perCurrency = (m: Totals): Totals => {
  const out: Totals = new Map()
  for (const [k, v] of m) add(out, k.split(' ')[1]!, v.debits, v.credits)
  return out
}

async function filesOf(exportId: string) {
  const files = await db().accountingExportFile.findMany({ where: { exportId }, orderBy: { name: 'asc' } })
  return new Map(files.map((f) => [f.name, f]))
}

beforeAll(async () => {
  const c = await signedContractFor(
    hybridTerms({
      baseFee: undefined,
      minimumGuarantee: undefined,
      term: { start: '2038-01-01', end: '2039-12-31', renewal: { kind: 'none' } },
    }),
  )
  partnerId = c.partner.id
  contractId = c.contract.id
  partnerScope = c.partnerScope
  finance = await actorFor(c.finance.id)

  travelTo('2038-02-03T09:00:00Z')
  await report(partnerScope, contractId, '2038-01', [row('Premium', 10_000)])
  travelTo('2038-02-10T09:00:00Z')
  await recordPayment(await systemScope(partnerId), {
    reference: 'wire-2038-02',
    currency: 'USD',
    amountMinor: 500_000n,
  })
  // A services invoice in euros, posted as the monthly invoice run posts one.
  const customer = await createOrganization('services_client')
  await db().$transaction((tx) =>
    postJournalEntry(tx, {
      organizationId: customer.id,
      currency: 'EUR',
      idempotencyKey: 'services-invoice-2038-02',
      kind: 'services_invoice',
      description: 'Services, February 2038',
      effectiveDate: '2038-02-20',
      lines: [
        { account: 'services_receivable', debitMinor: 300_000n, memo: 'Engineering time' },
        { account: 'services_revenue', creditMinor: 300_000n, memo: 'Engineering time' },
      ],
    }),
  )
  travelTo('2038-03-02T09:00:00Z')
  await closePeriod(finance, PERIOD)
})

describe('accounting export of a closed month (issue 32)', () => {
  it('refuses while an account the month uses is unmapped, naming it', async () => {
    await saveAccountMapping(finance, { ...chart, cash: { code: '', name: '' } })
    expect((await accountMapping(finance)).find((a) => a.accountType === 'cash')?.code).toBeNull()
    await expect(exportPeriodJournal(finance, PERIOD)).rejects.toThrow(
      /Map these ledger accounts to your chart of accounts before exporting 2038-02: Cash \(cash\)/,
    )
    expect(await db().accountingExport.count({ where: { period: PERIOD } })).toBe(0)
  })

  it('refuses a code with two names (Xero and QuickBooks would disagree), and a month still open', async () => {
    await expect(
      saveAccountMapping(finance, { ...chart, cash: { code: chart.royalty_revenue!.code, name: 'Bank' } }),
    ).rejects.toThrow('Please correct the highlighted accounts')
    // A name a spreadsheet would read as a formula is refused: quoted in the file, it would match no account.
    await expect(
      saveAccountMapping(finance, { ...chart, cash: { code: '1000', name: '=HYPERLINK("x")' } }),
    ).rejects.toMatchObject({
      fieldErrors: { 'cash.name': ['Start the name with a letter or digit, not = + - or @.'] },
    })
    travelTo('2038-03-20T00:00:00Z')
    await expect(exportPeriodJournal(finance, '2038-03')).rejects.toThrow('2038-03 is not closed')
  })

  it('exports all three formats; each parses back balanced per currency and equal to the trial balance', async () => {
    await saveAccountMapping(finance, chart)
    travelTo('2038-03-03T10:00:00Z')
    first = await exportPeriodJournal(finance, PERIOD)
    const files = await filesOf(first.exportId)
    expect([...files.keys()]).toEqual([
      'ggml-journal-2038-02-generic.csv',
      'ggml-journal-2038-02-quickbooks-online.csv',
      'ggml-journal-2038-02-xero-EUR.csv',
      'ggml-journal-2038-02-xero-USD.csv',
    ])
    const tb = await trialBalanceMovement()
    // By hand: USD 1,200,000 (report) + 500,000 (payment) on each side; EUR 300,000.
    expect(perCurrency(tb)).toEqual(
      new Map([
        ['EUR', { debits: 300_000n, credits: 300_000n }],
        ['USD', { debits: 1_700_000n, credits: 1_700_000n }],
      ]),
    )

    const generic: Totals = new Map()
    for (const r of readCsv(files.get('ggml-journal-2038-02-generic.csv')!.content))
      add(
        generic,
        `${typeOfCode.get(r.account_code!)} ${r.currency}`,
        minor(r.debit!, r.currency!),
        minor(r.credit!, r.currency!),
      )

    const quickbooks: Totals = new Map()
    for (const r of readCsv(files.get('ggml-journal-2038-02-quickbooks-online.csv')!.content))
      add(
        quickbooks,
        `${typeOfName.get(r['Account Name']!)} ${r.Currency}`,
        minor(r.Debits!, r.Currency!),
        minor(r.Credits!, r.Currency!),
      )

    const xero: Totals = new Map()
    for (const currency of ['EUR', 'USD'])
      for (const r of readCsv(files.get(`ggml-journal-2038-02-xero-${currency}.csv`)!.content)) {
        const amount = minor(r['*Amount']!, currency)
        add(
          xero,
          `${typeOfCode.get(r['*AccountCode']!)} ${currency}`,
          amount > 0n ? amount : 0n,
          amount < 0n ? -amount : 0n,
        )
        expect(r['*TaxRate']).toBe('Tax Exempt')
      }

    for (const [name, parsed] of [
      ['generic', generic],
      ['quickbooks', quickbooks],
      ['xero', xero],
    ] as const) {
      expect(parsed, name).toEqual(tb)
      for (const [currency, t] of perCurrency(parsed)) expect(t.debits, `${name} ${currency}`).toBe(t.credits)
    }
    expect(first.totals).toEqual([
      { currency: 'EUR', debitsMinor: 300_000n, creditsMinor: 300_000n },
      { currency: 'USD', debitsMinor: 1_700_000n, creditsMinor: 1_700_000n },
    ])
    // Recorded: who, when, each file's SHA-256 of exactly the bytes kept.
    const record = await db().accountingExport.findUniqueOrThrow({ where: { id: first.exportId } })
    expect(record.exportedById).toBe(finance.userId)
    expect(record.exportedAt.toISOString()).toBe('2038-03-03T10:00:00.000Z')
    for (const f of files.values()) expect(createHash('sha256').update(f.content).digest('hex')).toBe(f.sha256)
    expect(first.changes.previousExportId).toBeNull()
  })

  it('exports the month again byte for byte, and says so', async () => {
    travelTo('2038-03-04T10:00:00Z')
    const again = await exportPeriodJournal(finance, PERIOD)
    expect(again.exportId).not.toBe(first.exportId)
    expect(again.files.map((f) => [f.name, f.sha256])).toEqual(first.files.map((f) => [f.name, f.sha256]))
    const [a, b] = [await filesOf(first.exportId), await filesOf(again.exportId)]
    for (const [name, f] of a) expect(b.get(name)!.content).toBe(f.content)
    expect(again.changes).toMatchObject({ previousExportId: first.exportId, identical: true, newCorrections: [] })
  })

  it('names a correction posted later: a restatement reverses the February posting in March', async () => {
    travelTo('2038-03-10T09:00:00Z')
    // January restated: Premium 8,000 units. The February entry is reversed by an entry dated in March.
    await report(partnerScope, contractId, '2038-01', [row('Premium', 8_000)], { restatement: true })
    const februaryPosting = await db().journalEntry.findFirstOrThrow({
      where: { organizationId: partnerId, kind: 'report_charges', effectiveDate: new Date('2038-02-03') },
    })
    const later = await exportPeriodJournal(finance, PERIOD)
    // The month is locked, so its files are unchanged; what changed is said beside them.
    expect(later.changes.identical).toBe(true)
    expect(later.changes.newCorrections).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          date: '2038-03-10',
          currency: 'USD',
          amountMinor: '1200000',
          reason: `reverses GGML-${februaryPosting.seq}`,
        }),
      ]),
    )
    // Once seen, it is not news in the next export.
    expect((await exportPeriodJournal(finance, PERIOD)).changes.newCorrections).toEqual([])
  })

  it('refuses anyone but ggml finance: a partner’s finance user, or a "finance" role held in a partner', async () => {
    const other = await createOrganization('oem_partner')
    for (const role of ['partner_finance', 'partner_admin', 'finance'] as const) {
      const actor = await actorFor((await createUser(other.id, role)).id)
      await expect(exportPeriodJournal(actor, PERIOD), role).rejects.toMatchObject({ status: 403 })
      await expect(saveAccountMapping(actor, chart), role).rejects.toMatchObject({ status: 403 })
      await expect(accountMapping(actor), role).rejects.toMatchObject({ status: 403 })
    }
  })
})

describe('the accounting export pages (issue 32)', () => {
  let server: Awaited<ReturnType<typeof startAppServer>>
  beforeAll(async () => {
    server = await startAppServer()
  })
  afterAll(() => server.close())

  it('serves ggml finance the recorded files, and a partner 403 or 404 on every page, file and post', async () => {
    const ggmlFinance = await db().user.findUniqueOrThrow({ where: { id: finance.userId } })
    const staff = new HttpClient(server.url)
    await staff.signIn(ggmlFinance.email, 'correct horse battery staple')
    const page = await staff.get('/finance/accounting')
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('ggml-journal-2038-02-xero-USD.csv')
    expect(html).toContain('Files identical to the previous export, byte for byte.')
    const file = first.files.find((f) => f.name.endsWith('quickbooks-online.csv'))!
    const download = await staff.get(`/finance/accounting/files/${file.id}`)
    expect(download.status).toBe(200)
    expect(download.headers.get('x-content-sha256')).toBe(file.sha256)
    const bytes = Buffer.from(await download.arrayBuffer())
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(file.sha256)
    expect(html).toContain(`${bytes.length.toLocaleString('en-US')} bytes, SHA-256`)

    const other = await createOrganization('oem_partner')
    const partnerFinance = await createUser(other.id, 'partner_finance')
    const partner = new HttpClient(server.url)
    await partner.signIn(partnerFinance.email, partnerFinance.password)
    const before = await db().accountingExport.count()
    for (const url of ['/finance/accounting', `/finance/accounting/files/${file.id}`]) {
      const res = await partner.get(url)
      expect([403, 404], url).toContain(res.status)
      expect(await res.text()).not.toContain('GGML-')
    }
    for (const body of [
      { intent: 'export', period: PERIOD },
      { intent: 'map', 'cash.code': '9', 'cash.name': 'X' },
    ] as Record<string, string>[]) {
      const res = await partner.post('/finance/accounting', body)
      expect([403, 404]).toContain(res.status)
    }
    expect(await db().accountingExport.count()).toBe(before)
    expect((await accountMapping(finance)).find((a) => a.accountType === 'cash')?.code).toBe(chart.cash!.code)

    // ggml finance exports from the page.
    const res = await staff.post('/finance/accounting', { intent: 'export', period: PERIOD })
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('2038-02 exported: 4 file(s), identical to the previous export.')
  })
})
