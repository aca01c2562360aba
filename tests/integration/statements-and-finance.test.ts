import { systemScope } from '../../services/tenancy/tenant-guard.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hybridTerms } from '../../services/rating/sample-terms.ts'
import { recordPayment } from '../../services/ledger/record-payment.ts'
import { partnerStatement, statementCsv, statementPdf } from '../../services/royalties/partner-statement.ts'
import { billingParty } from '../../services/organizations/billing-party.ts'
import { startAppServer } from '../support/app-server.ts'
import { drainJobs } from '../support/jobs.ts'
import { db } from '../../services/platform/db/client.ts'
import { createUser, ggmlOrganization } from '../support/fixtures.ts'
import { HttpClient } from '../support/http-client.ts'
import { report, row, signedContractFor } from '../support/royalties.ts'
import { livingAt } from '../support/time.ts'
import { todayUtc } from '../../services/platform/clock.ts'
import { addDays } from '../../services/kernel/calendar/months.ts'

// The reports these tests file are of 2027 and 2028: the platform lives after them.
livingAt()

let server: Awaited<ReturnType<typeof startAppServer>>
beforeAll(async () => {
  server = await startAppServer()
})
afterAll(() => server.close())

// The quarter the test lives in (see livingAt): postings are booked then.
const thisQuarter = '2029-Q1'

describe('statements', () => {
  it(
    'show opening balance, each report with its traces, payments and the closing balance, identically ' + 'every time',
    async () => {
      const c = await signedContractFor(
        hybridTerms({ term: { start: '2027-01-01', end: '2029-12-31', renewal: { kind: 'none' } } }),
      )
      await report(c.partnerScope, c.contract.id, '2027-Q1', [row('Premium', 1000)])
      await recordPayment(await systemScope(c.partner.id), {
        reference: 'wire-1',
        currency: 'USD',
        amountMinor: 10_000_000n,
      })
      // Q1 2027's charges appear on the 2027-Q1 statement, although they were posted today (in 2029).
      const q1 = await partnerStatement(c.partnerScope, '2027-Q1')
      const q1usd = q1.accounts[0]!
      expect(q1usd.charges.map((l) => [l.kind, l.servicePeriod, l.postedOn, l.amountMinor])).toEqual([
        ['report_charges', '2027-Q1', todayUtc(), 28_000_000n],
      ])
      expect(q1usd.charges[0]!.charges[0]!.trace).toEqual([
        'Tier 1 (year units 1–1,000): 1,000 × $1.20 = $1,200.00',
        'Band total $1,200.00',
      ])
      expect(q1usd.chargesTotalMinor).toBe(28_000_000n)
      expect([q1usd.openingMinor, q1usd.activity.length, q1usd.closingMinor]).toEqual([0n, 0, 0n])
      // The quarter they were booked in shows the account moving: the charges, then the payment.
      const s = await partnerStatement(c.partnerScope, thisQuarter)
      expect(s.accounts).toHaveLength(1)
      const usd = s.accounts[0]!
      expect(usd.openingMinor).toBe(0n)
      expect(usd.activity.map((l) => [l.kind, l.servicePeriod, l.amountMinor])).toEqual([
        ['report_charges', '2027-Q1', 28_000_000n],
        ['payment', null, -10_000_000n],
      ])
      expect(usd.closingMinor).toBe(18_000_000n)
      expect(usd.charges).toEqual([])
      expect(statementCsv(await partnerStatement(c.partnerScope, thisQuarter))).toBe(statementCsv(s))
      expect(
        Buffer.compare(
          await statementPdf(s, await billingParty(c.partnerScope)),
          await statementPdf(await partnerStatement(c.partnerScope, thisQuarter), await billingParty(c.partnerScope)),
        ),
      ).toBe(0)

      const http = new HttpClient(server.url)
      await http.signIn(c.partnerAdmin.email, c.partnerAdmin.password)
      const csv = await http.get(`/portal/${c.partner.slug}/statements/${thisQuarter}.csv`)
      expect(csv.headers.get('content-type')).toContain('text/csv')
      expect((await csv.text()).trim().split('\n').at(-1)).toBe(
        `account,USD,${s.to},,closing_balance,Closing balance ${thisQuarter},,18000000`,
      )
      const pdf = await http.get(`/portal/${c.partner.slug}/statements/${thisQuarter}.pdf`)
      expect(
        Buffer.from(await pdf.arrayBuffer())
          .subarray(0, 5)
          .toString(),
      ).toBe('%PDF-')

      await http.post(`/portal/${c.partner.slug}/statement`, { period: thisQuarter })
      await drainJobs()
      const mail = await db().mailMessage.findFirstOrThrow({
        where: { to: c.partnerAdmin.email, subject: `Your ggml statement for ${thisQuarter}` },
      })
      expect(mail.text).toContain(
        'USD: charges for 2029-Q1 $0.00; account opening $0.00, 2 posting(s), closing $180,000.00.',
      )
    },
  )
})

describe('finance reporting', () => {
  it(
    'shows royalties, guarantee coverage, aging, revenue and the trial balance to finance, with ' + 'CSV exports',
    async () => {
      const c = await signedContractFor(
        hybridTerms({ term: { start: '2027-01-01', end: '2029-12-31', renewal: { kind: 'none' } } }),
      )
      await report(c.partnerScope, c.contract.id, '2027-Q1', [row('Premium', 1000)])
      const finance = await createUser((await ggmlOrganization()).id, 'finance')
      const http = new HttpClient(server.url)
      await http.signIn(finance.email, finance.password)
      // The workspace's tabs, each with its tables (issue 29); receivables first.
      const tab = async (name: string) =>
        (await (await http.get(`/finance?tab=${name}`)).text()).replaceAll('<!-- -->', '')
      const titles = {
        receivables: ['Receivables aging (open invoices)', 'Partner balances', 'Payments received'],
        revenue: ['Revenue by business line (recognised)', 'Contracted OEM ARR', 'Minimum-guarantee coverage'],
        reports: ['Reports past due', 'Royalties by partner and period'],
        ledger: ['Trial balance'],
      }
      for (const [name, expected] of Object.entries(titles)) {
        const html = await tab(name)
        for (const title of expected) expect(html).toContain(title)
      }
      expect(await tab('receivables')).toContain(c.partner.name)
      const csv = await (await http.get('/finance/export/royalties.csv')).text()
      expect(csv.split('\n')[0]).toBe(
        'partner,period,currency,units,royalties_decimal,base_fees_decimal,guarantee_shortfall_decimal,' +
          'pilot_fees_decimal,recouped_decimal,invoiced_decimal',
      )
      expect(csv).toContain(`${c.partner.name},2027-Q1,USD,1000,1200.00,30000.00,248800.00,0.00,0.00,280000.00`)
      const cents = (decimal: string) => BigInt(decimal.replace('.', ''))
      const tb = await (await http.get('/finance/export/trial-balance.csv')).text()
      const rows = tb
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(','))
      expect(rows.reduce((s, r) => s + cents(r[5]!), 0n)).toBe(0n)

      // The books at a date: postings count by effective date; before today this partner owed nothing.
      const today = todayUtc()
      const yesterday = addDays(today, -1)
      const balanceRow = async (asOf: string) =>
        (await (await http.get(`/finance/export/balances.csv?asOf=${asOf}&all=1`)).text())
          .split('\n')
          .find((l) => l.startsWith(`${c.partner.name},USD,`))
      expect(await balanceRow(yesterday)).toBe(`${c.partner.name},USD,0.00,0.00,0.00,0.00,0.00`)
      expect(await balanceRow(today)).toBe(`${c.partner.name},USD,280000.00,0.00,0.00,280000.00,0.00`)
      const tbYesterday = (await (await http.get(`/finance/export/trial-balance.csv?asOf=${yesterday}`)).text())
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(','))
      expect(tbYesterday.reduce((s, r) => s + cents(r[5]!), 0n)).toBe(0n)
      const bad = await http.get('/finance/export/balances.csv?asOf=2027-02-30')
      expect(bad.status).toBe(400)
      expect(await bad.text()).toContain('Use a date like')
      expect((await (await http.get(`/finance?asOf=${today}`)).text()).replaceAll('<!-- -->', '')).toContain(
        `Partner balances at the end of ${today}`,
      )
      // On the page a bad date is said beside the form, and the page still shows the books.
      const badPage = await http.get('/finance?tab=ledger&asOf=2027-02-30')
      expect(badPage.status).toBe(200)
      const badHtml = (await badPage.text()).replaceAll('<!-- -->', '')
      expect(badHtml).toContain('“2027-02-30” is not a date: use one like 2027-03-31.')
      expect(badHtml).toContain('Trial balance')
      const badStatement = await http.get(`/portal/${c.partner.slug}/statement?period=2027-Q5`)
      expect(badStatement.status).toBe(200)
      expect((await badStatement.text()).replaceAll('<!-- -->', '')).toContain('“2027-Q5” is not a period')

      const partner = new HttpClient(server.url)
      await partner.signIn(c.partnerAdmin.email, c.partnerAdmin.password)
      expect((await partner.get('/finance')).status).toBe(403)
      expect((await partner.get('/finance/export/royalties.csv')).status).toBe(403)
    },
  )
})
