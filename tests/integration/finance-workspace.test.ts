import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hybridTerms } from '../../services/contracts/sample-terms.ts'
import { db } from '../../services/db/client.ts'
import { newId } from '../../services/db/ids.ts'
import { financeTables } from '../../services/finance/finance-reports.ts'
import { RECEIVABLES } from '../../services/ledger/receivables.ts'
import { formatMoney, money } from '../../services/money/money.ts'
import { travelTo } from '../../services/platform/clock.ts'
import { startAppServer } from '../support/app-server.ts'
import { createOrganization, createUser, ggmlOrganization, unique } from '../support/fixtures.ts'
import { HttpClient } from '../support/http-client.ts'
import { report, row, signedContractFor } from '../support/royalties.ts'
import { AFTER_THE_DATA } from '../support/time.ts'

// Issue 29: workspaces that answer the question at a glance.
let server: Awaited<ReturnType<typeof startAppServer>>
beforeAll(async () => {
  server = await startAppServer()
})
afterAll(() => server.close())

const text = async (res: Response) => (await res.text()).replaceAll('<!-- -->', '')

async function signedIn(email: string, password: string) {
  const http = new HttpClient(server.url)
  await http.signIn(email, password)
  return http
}

describe('the finance workspace', () => {
  it('lists the partner who owes the most first, hides zero balances until asked, and exports decimals', async () => {
    travelTo(AFTER_THE_DATA)
    // A partner owing royalties only ($1,200), one owing the hybrid terms' fees too ($280,000), and a
    // contributor whose books hold nothing.
    const small = await signedContractFor(
      hybridTerms({
        baseFee: undefined,
        minimumGuarantee: undefined,
        term: { start: '2027-01-01', end: '2029-12-31', renewal: { kind: 'none' } },
      }),
    )
    await report(small.partnerScope, small.contract.id, '2027-Q1', [row('Premium', 1000)])
    const big = await signedContractFor(
      hybridTerms({ term: { start: '2027-01-01', end: '2029-12-31', renewal: { kind: 'none' } } }),
    )
    await report(big.partnerScope, big.contract.id, '2027-Q1', [row('Premium', 1000)])
    const contributor = await createOrganization('contributor', unique('Contributor'))
    await db().ledgerAccount.create({
      data: { id: newId(), organizationId: contributor.id, currency: 'USD', type: 'contributor_credit' },
    })

    // The big partner's invoice fell due on 2028-12-01, 32 days before the test's today.
    const entry = await db().journalEntry.findFirstOrThrow({
      where: { organizationId: big.partner.id, kind: 'report_charges' },
    })
    await db().invoice.create({
      data: {
        id: newId(),
        organizationId: big.partner.id,
        journalEntryId: entry.id,
        currency: 'USD',
        description: 'Royalties 2027-Q1',
        lines: [],
        amountDueMinor: 28_000_000n,
        amountRemainingMinor: 28_000_000n,
        status: 'open',
        dueDate: new Date('2028-12-01T00:00:00Z'),
      },
    })

    const finance = await createUser((await ggmlOrganization()).id, 'finance')
    const http = await signedIn(finance.email, finance.password)
    const page = await text(await http.get('/finance'))
    // The headline figures and the tabs come first; receivables is the tab open by default.
    for (const figure of [
      'Receivables outstanding',
      'Overdue',
      'Cash received this month',
      'Revenue recognised this quarter',
    ])
      expect(page).toContain(figure)
    expect(page).toContain('How it is computed')
    expect(page).toMatch(/<a href="\/finance\?tab=receivables" aria-current="page">Receivables<\/a>/)
    // What partners owe is the ledger's receivables, to the cent.
    const owed = await db().journalLine.aggregate({
      where: { account: { currency: 'USD', type: { in: [...RECEIVABLES] } } },
      _sum: { debitMinor: true, creditMinor: true },
    })
    const outstanding = page.slice(page.indexOf('data-figure="outstanding"'), page.indexOf('data-figure="overdue"'))
    expect(outstanding).toContain(
      formatMoney(money((owed._sum.debitMinor ?? 0n) - (owed._sum.creditMinor ?? 0n), 'USD')),
    )
    // Overdue is what is left to pay on open invoices past due, and the aging opens the partner's invoices.
    const late = await db().invoice.findMany({
      where: { status: 'open', currency: 'USD', dueDate: { lt: new Date('2029-01-02T00:00:00Z') } },
    })
    const overdue = page.slice(page.indexOf('data-figure="overdue"'), page.indexOf('data-figure="collected"'))
    expect(overdue).toContain(
      formatMoney(
        money(
          late.reduce((s, i) => s + i.amountRemainingMinor, 0n),
          'USD',
        ),
      ),
    )
    const aging = page.slice(page.indexOf('Receivables aging'), page.indexOf('Partner balances'))
    const invoices = await http.get(`/portal/${big.partner.slug}/invoices?status=outstanding`)
    expect(invoices.status).toBe(200)
    expect(await text(invoices)).toContain('Royalties 2027-Q1')
    expect(aging).toContain(`<a href="/portal/${big.partner.slug}/invoices?status=outstanding">${big.partner.name}</a>`)
    expect(
      (await text(await http.get('/finance/export/aging.csv'))).split('\n').find((l) => l.startsWith(big.partner.name)),
    ).toBe(`${big.partner.name},USD,0.00,0.00,280000.00,0.00,0.00,280000.00`)
    const balances = page.slice(page.indexOf('Partner balances'))
    expect(balances).toContain(big.partner.name)
    expect(balances.indexOf(big.partner.name)).toBeLessThan(balances.indexOf(small.partner.name))
    expect(balances).not.toContain(contributor.name)
    expect(await text(await http.get('/finance?tab=receivables&all=1'))).toContain(contributor.name)

    // Exports in decimal amounts of the row's currency, and the header says so.
    const csv = (await text(await http.get('/finance/export/balances.csv'))).trim().split('\n')
    expect(csv[0]).toBe(
      'partner,currency,receivable_decimal,deferred_revenue_decimal,partner_credit_decimal,' +
        'recognised_revenue_decimal,cash_received_decimal',
    )
    expect(csv).toContain(`${big.partner.name},USD,280000.00,0.00,0.00,280000.00,0.00`)
    expect(csv.findIndex((l) => l.startsWith(big.partner.name))).toBeLessThan(
      csv.findIndex((l) => l.startsWith(small.partner.name)),
    )
    expect(csv.some((l) => l.startsWith(contributor.name))).toBe(false)
    // Every table exports; none in cents.
    for (const name of Object.keys(financeTables)) {
      const res = await http.get(`/finance/export/${name}.csv`)
      expect(res.status, name).toBe(200)
      expect((await res.text()).split('\n')[0], name).not.toContain('_minor')
    }

    // Contracted ARR is apart from recognised revenue; the trial balance names its accounts.
    const revenue = await text(await http.get('/finance?tab=revenue'))
    const recognised = revenue.slice(revenue.indexOf('Revenue by business line'), revenue.indexOf('Contracted OEM'))
    expect(recognised).not.toContain('Contracted')
    expect(revenue).toContain('Contracted OEM ARR: contracted, not recognised')
    const ledger = await text(await http.get('/finance?tab=ledger'))
    expect(ledger).toMatch(/Royalties receivable<code class="fin-code">royalty_receivable<\/code>/)
    const tb = (await text(await http.get('/finance/export/trial-balance.csv'))).split('\n')
    expect(tb[0]).toBe('account,account_code,currency,debits_decimal,credits_decimal,balance_decimal')
    expect(tb.some((l) => l.startsWith('Royalties receivable,royalty_receivable,USD,'))).toBe(true)

    // Finance's approvals are a page of their own, and the menu marks only it.
    const adjustments = await text(await http.get('/finance/adjustments'))
    expect(adjustments).not.toContain('Close the books</button>')
    expect(adjustments.match(/aria-current="page"/g)).toHaveLength(1)
  })

  it('closes a month only after its preview and the month typed to confirm', async () => {
    // A base fee of $120,000 a year and no report: closing January 2037 files one zero report for it.
    const c = await signedContractFor(
      hybridTerms({
        minimumGuarantee: undefined,
        baseFee: { amount: '120000.00', period: 'year' },
        term: { start: '2037-01-01', end: '2039-12-31', renewal: { kind: 'none' } },
      }),
    )
    travelTo('2037-02-03T09:00:00Z')
    const finance = await createUser((await ggmlOrganization()).id, 'finance')
    const http = await signedIn(finance.email, finance.password)
    const preview = await text(await http.get('/finance?tab=close&month=2037-01'))
    expect(preview).toContain('What closing 2037-01 will do')
    const listed = preview.slice(preview.indexOf(c.partner.name))
    expect(listed.slice(0, listed.indexOf('</li>'))).toContain('2037-01 (base fee)')
    expect(preview).toContain('Type 2037-01 to confirm')
    const zeroReports = () => db().royaltyReport.count({ where: { contractId: c.contract.id, source: 'period_close' } })

    // Previewing posted nothing; closing without the typed month (or with another one) is refused.
    for (const confirm of ['', '2037-02']) {
      const refused = await http.post('/finance?tab=close&month=2037-01', {
        intent: 'close',
        month: '2037-01',
        confirm,
      })
      expect(refused.status).toBe(422)
      expect(await text(refused)).toContain('Type the month exactly as shown to confirm')
    }
    expect(await zeroReports()).toBe(0)
    expect(await db().ledgerPeriodClose.findUnique({ where: { period: '2037-01' } })).toBeNull()

    const closed = await http.post('/finance?tab=close&month=2037-01', {
      intent: 'close',
      month: '2037-01',
      confirm: '2037-01',
    })
    expect(closed.status).toBe(200)
    const after = await text(closed)
    expect(after).toContain('2037-01 is closed')
    expect(after).toContain('2037-01 is already closed.')
    expect(await zeroReports()).toBe(1)
  })
})
