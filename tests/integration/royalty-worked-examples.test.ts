import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiToken } from '#services/api-tokens/create-api-token.ts'
import { amendContract } from '#services/contracts/amend-contract.ts'
import type { ContractTerms } from '../../services/rating/contract-terms.ts'
import { db } from '../../services/platform/db/client.ts'
import { travelTo } from '../../services/platform/clock.ts'
import { bootLocalStripe, type LocalStripe } from '../../fakes/stripe/local-stripe.ts'
import { startAppServer } from '../support/app-server.ts'
import { scopeFor } from '../support/contracts.ts'
import { drainJobs } from '../support/jobs.ts'
import { receivable, row, signedContractFor } from '../support/royalties.ts'

// Finance's worked examples, each computed by hand in its comments, filed through the reports API
// while the platform's clock travels through the contract's life.

let server: Awaited<ReturnType<typeof startAppServer>>
let stripe: LocalStripe
beforeAll(async () => {
  server = await startAppServer()
  stripe = await bootLocalStripe({ webhookUrl: `${server.url}/webhooks/stripe` })
})
afterAll(async () => {
  await stripe.close()
  await server.close()
})

const settle = async () => {
  await drainJobs()
  await stripe.settled()
  await drainJobs()
}

interface Charge {
  kind: string
  label: string
  amount: string
  trace: string[]
}

async function partnerOn(terms: ContractTerms) {
  travelTo(`${terms.term.start}T09:00:00Z`)
  const c = await signedContractFor(terms)
  const admin = await scopeFor(c.partnerAdmin.id, c.partner.id, 'api_tokens.create')
  /** Files a report at the given instant; returns the status and, once posted, its charges. */
  const file = async (at: string, period: string, lines: ReturnType<typeof row>[], restatement = false) => {
    travelTo(at)
    // Tokens expire (issue 25): over these years the ERP files with one renewed in time.
    const { secret } = await createApiToken(admin, { name: 'ERP', scopes: ['reports:write', 'reports:read'] })
    const auth = { Authorization: `Bearer ${secret}` }
    const res = await fetch(`${server.url}/api/v1/reports`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ contractId: c.contract.id, period, lines, restatement }),
    })
    const body = await res.json()
    if (res.status !== 201) return { status: res.status, body, charges: [] as Charge[], total: '' }
    const detail = await (await fetch(`${server.url}/api/v1/reports/${body.reportId}`, { headers: auth })).json()
    return { status: res.status, body, charges: detail.charges as Charge[], total: detail.total as string }
  }
  return { ...c, file }
}

const amounts = (charges: Charge[]) => charges.map((ch) => [ch.kind, ch.amount])

const term = (start: string, end: string) => ({ start, end, renewal: { kind: 'none' as const } })
const base = (t: ReturnType<typeof term>): ContractTerms => ({
  currency: 'USD',
  tier: 'Tier 1',
  territory: ['Worldwide'],
  products: ['GGML runtime'],
  deviceClasses: ['smartphone'],
  term: t,
})

describe('worked examples through the reports API', () => {
  it('retroactive volume pricing trues up the year where a tier is crossed: $1,650,000 for 5.5M units', async () => {
    // Tiers 0–1M $0.50, 1M–5M $0.40, above $0.30, all units at the tier the contract year reached.
    const p = await partnerOn({
      ...base(term('2027-01-01', '2029-12-31')),
      perDeviceRoyalty: {
        tiering: 'volume',
        retroactive: true,
        bands: [
          {
            name: 'Entry',
            minAsp: '0.00',
            maxAsp: null,
            tiers: [
              { fromUnits: 0, toUnits: 1_000_000, rate: '0.50' },
              { fromUnits: 1_000_000, toUnits: 5_000_000, rate: '0.40' },
              { fromUnits: 5_000_000, toUnits: null, rate: '0.30' },
            ],
          },
        ],
      },
    })
    // Q1: 800,000 × $0.50 = $400,000.
    const q1 = await p.file('2027-04-02T09:00:00Z', '2027-Q1', [row('Entry', 800_000)])
    expect(q1.total).toBe('$400,000.00')
    // Q2: the year reaches 1.5M (tier $0.40): 700,000 × $0.40 = $280,000; Q1 re-priced at $0.40
    // (800,000 × $0.40 = $320,000 less $400,000 charged) = −$80,000. Q2: $200,000.
    const q2 = await p.file('2027-07-02T09:00:00Z', '2027-Q2', [row('Entry', 700_000)])
    expect(amounts(q2.charges)).toEqual(
      expect.arrayContaining([
        ['royalty', '$280,000.00'],
        ['volume_true_up', '-$80,000.00'],
      ]),
    )
    expect(q2.total).toBe('$200,000.00')
    // Q3: the year reaches 5.5M (tier $0.30): 4,000,000 × $0.30 = $1,200,000; Q1 and Q2 re-priced at
    // $0.30 (1,500,000 × $0.30 = $450,000 less $600,000 charged) = −$150,000. Q3: $1,050,000.
    const q3 = await p.file('2027-10-02T09:00:00Z', '2027-Q3', [row('Entry', 4_000_000)])
    expect(amounts(q3.charges)).toEqual(
      expect.arrayContaining([
        ['royalty', '$1,200,000.00'],
        ['volume_true_up', '-$150,000.00'],
      ]),
    )
    expect(q3.total).toBe('$1,050,000.00')
    const trueUp = q3.charges.find((ch) => ch.kind === 'volume_true_up')!
    expect(trueUp.trace.join(' ')).toContain('$0.30')
    // The year: $400,000 + $200,000 + $1,050,000 = $1,650,000 = 5,500,000 × $0.30.
    expect(await receivable(p.partner.id)).toBe(165_000_000n)
    await settle()
    // Q3's invoice ($1,050,000) is more than one Stripe amount: split into items, paid by transfer.
    const q3Invoice = await db().invoice.findFirstOrThrow({
      where: { organizationId: p.partner.id, description: { contains: '2027-Q3' } },
    })
    expect(q3Invoice.amountDueMinor).toBe(105_000_000n)
    const remote = stripe.invoices.get(q3Invoice.stripeInvoiceId!)!
    expect(remote.amount_due).toBe(105_000_000)
    expect(remote.lines.data.every((l) => Math.abs(l.amount) <= 99_999_999)).toBe(true)
  })

  it('a contract from 2027-01-15, reported by month and by quarter, charges its prorated guarantee', async () => {
    // $1.00 a unit; a guarantee of $90,000 a quarter. The first quarter is in force 76 of its 90 days
    // (Jan 15–31: 17, Feb: 28, Mar: 31), so its guarantee is $90,000 × 76/90 = $76,000.
    const p = await partnerOn({
      ...base(term('2027-01-15', '2029-12-31')),
      perDeviceRoyalty: {
        tiering: 'graduated',
        bands: [
          { name: 'Entry', minAsp: '0.00', maxAsp: null, tiers: [{ fromUnits: 0, toUnits: null, rate: '1.00' }] },
        ],
      },
      minimumGuarantee: { amount: '90000.00', period: 'quarter', carryForwardExcess: false },
    })
    // A period that has not ended is refused, with the day it may be filed.
    const early = await p.file('2027-01-20T09:00:00Z', '2027-01', [row('Entry', 10_000)])
    expect(early.status).toBe(422)
    expect(JSON.stringify(early.body)).toContain('2027-02-01')
    expect(await db().royaltyReport.count({ where: { contractId: p.contract.id } })).toBe(0)
    // January, February, March: 10,000 units each, $10,000 each; the guarantee is settled with March.
    const jan = await p.file('2027-02-01T09:00:00Z', '2027-01', [row('Entry', 10_000)])
    expect(jan.total).toBe('$10,000.00')
    const feb = await p.file('2027-03-01T09:00:00Z', '2027-02', [row('Entry', 10_000)])
    expect(feb.total).toBe('$10,000.00')
    const mar = await p.file('2027-04-01T09:00:00Z', '2027-03', [row('Entry', 10_000)])
    // March: $10,000 of royalties; the quarter's royalties $30,000 fall $46,000 short of $76,000.
    expect(amounts(mar.charges)).toEqual(
      expect.arrayContaining([
        ['royalty', '$10,000.00'],
        ['minimum_guarantee_shortfall', '$46,000.00'],
      ]),
    )
    expect(mar.charges.find((ch) => ch.kind === 'minimum_guarantee_shortfall')!.trace.join(' ')).toContain('76')
    expect(mar.total).toBe('$56,000.00')
    // Q2 as one quarterly report: 100,000 units = $100,000, above the full $90,000: met, a zero line.
    const q2 = await p.file('2027-07-01T09:00:00Z', '2027-Q2', [row('Entry', 100_000)])
    expect(amounts(q2.charges)).toEqual(
      expect.arrayContaining([
        ['royalty', '$100,000.00'],
        ['minimum_guarantee_met', '$0.00'],
      ]),
    )
    expect(q2.total).toBe('$100,000.00')
    // $10,000 + $10,000 + $56,000 + $100,000.
    expect(await receivable(p.partner.id)).toBe(17_600_000n)
  })

  it('an amendment changes the rates from its date; the year keeps counting its units across it', async () => {
    // v1: 0–150k $0.50, above $0.45. v2 from 2027-07-01: 0–150k $0.40, above $0.35. Graduated.
    const tiers = (low: string, high: string) => ({
      tiering: 'graduated' as const,
      bands: [
        {
          name: 'Entry',
          minAsp: '0.00',
          maxAsp: null,
          tiers: [
            { fromUnits: 0, toUnits: 150_000, rate: low },
            { fromUnits: 150_000, toUnits: null, rate: high },
          ],
        },
      ],
    })
    const terms = { ...base(term('2027-01-01', '2029-12-31')), perDeviceRoyalty: tiers('0.50', '0.45') }
    const p = await partnerOn(terms)
    // Q1: 100,000 × $0.50 = $50,000.
    expect((await p.file('2027-04-02T09:00:00Z', '2027-Q1', [row('Entry', 100_000)])).total).toBe('$50,000.00')
    travelTo('2027-06-01T09:00:00Z')
    const manager = await scopeFor(p.manager.id, p.partner.id, 'contracts.draft')
    const amendment = await amendContract(manager, p.contract.id, {
      effectiveFrom: '2027-07-01',
      terms: { ...terms, perDeviceRoyalty: tiers('0.40', '0.35') },
    })
    await db().contractVersion.update({ where: { id: amendment.id }, data: { state: 'signed', signedAt: new Date() } })
    // Q2 under v1: the year goes 100,000 → 200,000: 50,000 × $0.50 + 50,000 × $0.45 = $47,500.
    expect((await p.file('2027-07-02T09:00:00Z', '2027-Q2', [row('Entry', 100_000)])).total).toBe('$47,500.00')
    // Q3 under v2: the year goes 200,000 → 300,000, all above 150,000: 100,000 × $0.35 = $35,000.
    const q3 = await p.file('2027-10-02T09:00:00Z', '2027-Q3', [row('Entry', 100_000)])
    expect(q3.total).toBe('$35,000.00')
    expect(q3.charges[0]!.trace.join(' ')).toContain('$0.35')
  })

  it('a lowered restatement is credited: on the open invoice, and to the balance once paid', async () => {
    // $1.00 a unit. Q1: 100,000 units, $100,000, invoiced and left open.
    const p = await partnerOn({
      ...base(term('2027-01-01', '2029-12-31')),
      perDeviceRoyalty: {
        tiering: 'graduated',
        bands: [
          { name: 'Entry', minAsp: '0.00', maxAsp: null, tiers: [{ fromUnits: 0, toUnits: null, rate: '1.00' }] },
        ],
      },
    })
    await p.file('2027-04-02T09:00:00Z', '2027-Q1', [row('Entry', 100_000)])
    await settle()
    const q1 = await db().invoice.findFirstOrThrow({ where: { organizationId: p.partner.id } })
    // Restated to 90,000 units ($90,000): a $10,000 credit note on the open invoice, now $90,000 due.
    const restated = await p.file('2027-04-10T09:00:00Z', '2027-Q1', [row('Entry', 90_000)], true)
    expect(restated.status).toBe(201)
    await settle()
    expect(stripe.invoices.get(q1.stripeInvoiceId!)!.amount_due).toBe(9_000_000)
    expect(await db().invoice.findUniqueOrThrow({ where: { id: q1.id } })).toMatchObject({
      amountRemainingMinor: 9_000_000n,
    })
    // Paid; then Q2 (50,000 units, $50,000) is invoiced and restated down to 45,000 after payment:
    // its $5,000 credit goes to the balance.
    await fetch(`${stripe.apiBase}/i/${q1.stripeInvoiceId}/pay`, { method: 'POST', redirect: 'manual' })
    await p.file('2027-07-02T09:00:00Z', '2027-Q2', [row('Entry', 50_000)])
    await settle()
    const q2 = await db().invoice.findFirstOrThrow({
      where: { organizationId: p.partner.id, description: { contains: '2027-Q2' } },
    })
    await fetch(`${stripe.apiBase}/i/${q2.stripeInvoiceId}/pay`, { method: 'POST', redirect: 'manual' })
    await settle()
    await p.file('2027-07-20T09:00:00Z', '2027-Q2', [row('Entry', 45_000)], true)
    await settle()
    const notes = await db().creditNote.findMany({
      where: { organizationId: p.partner.id },
      orderBy: { createdAt: 'asc' },
    })
    expect(notes.map((n) => [n.amountMinor, n.target])).toEqual([
      [1_000_000n, 'invoice'],
      [500_000n, 'customer_balance'],
    ])
    expect(stripe.customers.get(q2.stripeCustomerId!)!.balance).toBe(-500_000)
    // The books agree: the partner is $5,000 in credit.
    expect(await receivable(p.partner.id)).toBe(-500_000n)
  })

  it('a capped revenue share whose last quarter is cut to zero keeps the cut on record', async () => {
    // 5% of revenue, at most $100,000 a contract year.
    const p = await partnerOn({
      ...base(term('2027-01-01', '2029-12-31')),
      revenueShare: { percent: '5.00' },
      cap: { amount: '100000.00' },
    })
    const rev = (usd: number) => [row('Entry', 1_000, { revenue: usd.toFixed(2) })]
    // Q1 $1,000,000 → $50,000. Q2 $800,000 → $40,000 (year $90,000).
    expect((await p.file('2027-04-02T09:00:00Z', '2027-Q1', rev(1_000_000))).total).toBe('$50,000.00')
    expect((await p.file('2027-07-02T09:00:00Z', '2027-Q2', rev(800_000))).total).toBe('$40,000.00')
    // Q3 $400,000 → $20,000, cut by $10,000 to the cap's $100,000.
    const q3 = await p.file('2027-10-02T09:00:00Z', '2027-Q3', rev(400_000))
    expect(amounts(q3.charges)).toEqual(
      expect.arrayContaining([
        ['revenue_share', '$20,000.00'],
        ['cap_reduction', '-$10,000.00'],
      ]),
    )
    expect(q3.total).toBe('$10,000.00')
    // Q4 $500,000 → $25,000, all cut: a zero quarter whose cut is on record.
    const q4 = await p.file('2028-01-02T09:00:00Z', '2027-Q4', rev(500_000))
    expect(amounts(q4.charges)).toEqual(
      expect.arrayContaining([
        ['revenue_share', '$25,000.00'],
        ['cap_reduction', '-$25,000.00'],
      ]),
    )
    expect(q4.total).toBe('$0.00')
    expect(q4.charges.find((ch) => ch.kind === 'cap_reduction')!.trace.join(' ')).toContain('$100,000.00')
    expect(await receivable(p.partner.id)).toBe(10_000_000n)
  })
})
