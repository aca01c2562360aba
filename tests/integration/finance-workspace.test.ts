import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hybridTerms } from '../../services/rating/sample-terms.ts'
import { db } from '../../services/platform/db/client.ts'
import { newId } from '../../services/platform/db/ids.ts'
import { financeHeadlines } from '../../services/finance/finance-headlines.ts'
import { financeTables } from '../../services/finance/finance-reports.ts'
import { recordPayment } from '../../services/ledger/record-payment.ts'
import { RECEIVABLES } from '../../services/ledger/receivables.ts'
import { formatMoney, money } from '../../services/kernel/money/money.ts'
import { travelTo } from '../../services/platform/clock.ts'
import { systemScope } from '../../services/tenancy/tenant-guard.ts'
import { startAppServer } from '../support/app-server.ts'
import { actorFor } from '../support/contracts.ts'
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

  it('shows DSO, the guarantee shortfall forecast and the aging bar, to the minor unit of the ledger', async () => {
    // Francs, which no other test books, so every figure below is this scenario's alone.
    const terms = (start: string, minimumGuarantee?: { amount: string; period: 'year' }) =>
      hybridTerms({
        currency: 'CHF',
        baseFee: undefined,
        minimumGuarantee: minimumGuarantee && { ...minimumGuarantee, carryForwardExcess: false },
        term: { start, end: '2043-12-31', renewal: { kind: 'none' } },
      })
    travelTo('2041-01-05T09:00:00Z')
    // Alpine guarantees CHF 10,000 a contract year from 2041-01-01; Baltic has no guarantee.
    const alpine = await signedContractFor(terms('2041-01-01', { amount: '10000.00', period: 'year' }))
    const baltic = await signedContractFor(terms('2040-10-01'))
    // Baltic's 2040-Q4, billed on 2041-01-05 (before the 90-day window): 500 × CHF 1.20 = CHF 600.
    const q4 = await report(baltic.partnerScope, baltic.contract.id, '2040-Q4', [row('Premium', 500)])
    travelTo('2041-04-02T09:00:00Z')
    // Alpine's 2041-Q1: 1,000 × CHF 1.20 = CHF 1,200, counted toward its guarantee.
    const alpineQ1 = await report(alpine.partnerScope, alpine.contract.id, '2041-Q1', [row('Premium', 1000)])
    travelTo('2041-04-10T09:00:00Z')
    // Baltic's 2041-Q1: 250 × CHF 1.20 = CHF 300.
    const balticQ1 = await report(baltic.partnerScope, baltic.contract.id, '2041-Q1', [row('Premium', 250)])
    travelTo('2041-05-05T09:00:00Z')
    await recordPayment(await systemScope(alpine.partner.id), {
      reference: 'chf-wire-1',
      currency: 'CHF',
      amountMinor: 20_000n,
    })
    // Their invoices: Alpine's (CHF 1,000 left) 18 days late on 2041-05-20, Baltic's Q4 105 days late,
    // Baltic's Q1 not yet due.
    const invoice = async (organizationId: string, journalEntryId: string, remaining: bigint, due: string) =>
      db().invoice.create({
        data: {
          id: newId(),
          organizationId,
          journalEntryId,
          currency: 'CHF',
          description: `Royalties due ${due}`,
          lines: [],
          amountDueMinor: remaining,
          amountRemainingMinor: remaining,
          status: 'open',
          dueDate: new Date(`${due}T00:00:00Z`),
        },
      })
    const entryOf = async (reportId: string) =>
      (await db().royaltyReport.findUniqueOrThrow({ where: { id: reportId } })).journalEntryId!
    await invoice(alpine.partner.id, await entryOf(alpineQ1.reportId), 100_000n, '2041-05-02')
    const late = await invoice(baltic.partner.id, await entryOf(q4.reportId), 60_000n, '2041-02-04')
    await invoice(baltic.partner.id, await entryOf(balticQ1.reportId), 30_000n, '2041-06-09')

    travelTo('2041-05-20T09:00:00Z')
    const finance = await createUser((await ggmlOrganization()).id, 'finance')
    const { figures, aging } = await financeHeadlines(await actorFor(finance.id))
    const chf = (key: string) => figures.find((f) => f.key === key)!.amounts.find((a) => a.currency === 'CHF')
    // Owed: 1,200 + 600 + 300 billed, less 200 paid = CHF 1,900, which is the ledger's receivable balance.
    expect(chf('outstanding')?.minor).toBe('190000')
    const ledger = await db().journalLine.aggregate({
      where: { account: { currency: 'CHF', type: { in: [...RECEIVABLES] } } },
      _sum: { debitMinor: true, creditMinor: true },
    })
    expect((ledger._sum.debitMinor ?? 0n) - (ledger._sum.creditMinor ?? 0n)).toBe(190_000n)
    expect(chf('overdue')?.minor).toBe('160000')
    expect(chf('collected')?.minor).toBe('20000')
    expect(chf('recognised')?.minor).toBe('150000')
    // DSO: 190,000 owed × 90 ÷ 150,000 billed from 2041-02-20 to 2041-05-20 (Q4's 60,000 is older) = 114 days.
    expect(chf('dso')).toMatchObject({ days: 114, text: '114 days' })
    const dso = figures.find((f) => f.key === 'dso')!.computed
    expect(dso).toContain('from 2041-02-20 to 2041-05-20')
    expect(dso).toContain('CHF: CHF 1,900.00 × 90 ÷ CHF 1,500.00 = 114 days.')
    // The guarantee: CHF 10,000 less 1,200 earned in 3 months and 9 more months at CHF 400 = CHF 5,200.
    expect(chf('guarantee-shortfall')?.minor).toBe('520000')
    // The aging bar: CHF 1,900 open, in three buckets, each opening its invoices.
    const bar = aging.find((a) => a.currency === 'CHF')!
    expect(bar.totalMinor).toBe('190000')
    expect(bar.segments.map((s) => [s.bucket, s.minor, s.invoices])).toEqual([
      ['current', '30000', 1],
      ['1-30', '100000', 1],
      ['90+', '60000', 1],
    ])

    // The page shows the same figures, and the guarantee table's row adds up to the headline.
    const http = await signedIn(finance.email, finance.password)
    const page = await text(await http.get('/finance'))
    const figure = (key: string) => {
      const from = page.indexOf(`data-figure="${key}"`)
      return page.slice(from, page.indexOf('</details>', from))
    }
    expect(figure('outstanding')).toContain('CHF 1,900.00')
    expect(figure('overdue')).toContain('CHF 1,600.00')
    expect(figure('dso')).toContain('114 days')
    expect(figure('guarantee-shortfall')).toContain('CHF 5,200.00')
    const segment = `/finance?tab=receivables&amp;aging=90%2B&amp;currency=CHF#open-invoices`
    expect(page).toContain(`href="${segment}"`)
    const guarantees = (await text(await http.get('/finance/export/guarantees.csv'))).split('\n')
    expect(guarantees).toContain(
      `${alpine.partner.name},${guarantees.find((l) => l.startsWith(alpine.partner.name))!.split(',')[1]},CHF,` +
        '2041-01-01 to 2041-12-31,10000.00,1200.00,3,4800.00,5200.00',
    )
    expect(guarantees.some((l) => l.startsWith(baltic.partner.name))).toBe(false)

    // A segment opens the open invoices of its bucket and currency, and only those.
    const over90 = await text(await http.get('/finance?tab=receivables&aging=90%2B&currency=CHF'))
    const section = (html: string) => {
      const from = html.indexOf('id="open-invoices"')
      return html.slice(from, html.indexOf('</section>', from))
    }
    const list = section(over90)
    expect(list).toContain('Open invoices, over 90 days late (CHF)')
    expect(list).toContain(`/portal/${baltic.partner.slug}/invoices/${late.id}`)
    expect(list).toMatch(/<td class="num">105<\/td>/)
    expect(list).toContain('CHF 600.00')
    expect(list).not.toContain(alpine.partner.name)
    const lately = await text(await http.get('/finance?tab=receivables&aging=1-30&currency=CHF'))
    expect(section(lately)).toContain(alpine.partner.name)
    expect(section(lately)).not.toContain(baltic.partner.name)
    // A filter that is not one lists nothing extra and fails nothing.
    const odd = await http.get('/finance?tab=receivables&aging=soon&currency=francs')
    expect(odd.status).toBe(200)
    expect(await text(odd)).not.toContain('id="open-invoices"')
  })
})
