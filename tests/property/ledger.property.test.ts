import { systemScope } from '../../services/tenancy/tenant-guard.ts'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { ContractTerms } from '../../services/contracts/contract-terms.ts'
import { amountOf, validateContractTerms } from '../../services/contracts/contract-terms.ts'
import { hybridTerms } from '../../services/contracts/sample-terms.ts'
import { db } from '../../services/db/client.ts'
import { accountBalances, trialBalance } from '../../services/ledger/balances.ts'
import { recordPayment } from '../../services/ledger/record-payment.ts'
import { rateContractReports } from '../../services/royalties/rate-contract.ts'
import { parsePeriod } from '../../services/royalties/reporting-period.ts'
import { report, row, signedContractFor } from '../support/royalties.ts'
import { livingAt } from '../support/time.ts'

// The reports these tests file are of 2027 and 2028: the platform lives after them.
livingAt()

// Random contracts and random histories of reports, late reports, restatements, duplicates and
// payments. After every step: the books balance, the partner's receivable equals a recomputation
// from scratch, and repeating the step changes nothing.

const bandNames = ['Entry', 'Mainstream', 'Premium']

const termsArb: fc.Arbitrary<ContractTerms> = fc
  .record({
    tiering: fc.constantFrom('graduated' as const, 'volume' as const),
    bands: fc.integer({ min: 1, max: 3 }),
    tiers: fc.array(fc.integer({ min: 1, max: 50_000 }), { minLength: 0, maxLength: 2 }),
    rates: fc.array(fc.integer({ min: 0, max: 999_999 }), { minLength: 3, maxLength: 3 }),
    baseFee: fc.option(fc.integer({ min: 1, max: 5_000_000 }), { nil: undefined }),
    revenueShareBps: fc.option(fc.integer({ min: 1, max: 2_000 }), { nil: undefined }),
    mg: fc.option(
      fc.record({
        amount: fc.integer({ min: 1, max: 10_000_000 }),
        period: fc.constantFrom('quarter' as const, 'year' as const),
        carry: fc.boolean(),
      }),
      { nil: undefined },
    ),
    advance: fc.option(fc.integer({ min: 1, max: 20_000_000 }), { nil: undefined }),
    capFactor: fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
  })
  .map((g) => {
    const cents = (n: number) => `${Math.floor(n / 100)}.${String(n % 100).padStart(2, '0')}`
    const cuts = [...new Set(g.tiers)].sort((a, b) => a - b)
    const tiers = (i: number) =>
      [0, ...cuts].map((from, j, all) => ({
        fromUnits: from,
        toUnits: all[j + 1] ?? null,
        rate: `0.${String(g.rates[(i + j) % 3]!).padStart(6, '0')}`,
      }))
    const edges = ['0.00', '100.00', '500.00']
    const bands = bandNames.slice(0, g.bands).map((name, i) => ({
      name,
      minAsp: edges[i]!,
      maxAsp: i === g.bands - 1 ? null : edges[i + 1]!,
      tiers: tiers(i),
    }))
    const annualMg = g.mg ? g.mg.amount * (g.mg.period === 'quarter' ? 4 : 1) : 0
    const t = hybridTerms({
      term: { start: '2027-01-01', end: '2028-12-31', renewal: { kind: 'none' } },
      perDeviceRoyalty: { tiering: g.tiering, bands },
      baseFee: g.baseFee ? { amount: cents(g.baseFee), period: 'quarter' } : undefined,
      revenueShare: g.revenueShareBps ? { percent: cents(g.revenueShareBps) } : undefined,
      minimumGuarantee: g.mg
        ? { amount: cents(g.mg.amount), period: g.mg.period, carryForwardExcess: g.mg.carry }
        : undefined,
      prepaidAdvance: g.advance ? { amount: cents(g.advance) } : undefined,
      cap: g.capFactor ? { amount: cents(Math.max(annualMg, 1) * g.capFactor) } : undefined,
    })
    const valid = validateContractTerms('production_license', t)
    if (!valid.ok) throw new Error(JSON.stringify(valid.issues))
    return valid.terms
  })

type Step = { kind: 'report'; quarter: number; units: number[]; revenue: number } | { kind: 'pay'; amount: number }
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('report' as const),
      quarter: fc.integer({ min: 0, max: 7 }),
      units: fc.array(fc.integer({ min: 0, max: 400_000 }), { minLength: 3, maxLength: 3 }),
      revenue: fc.integer({ min: 0, max: 1_000_000_000 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('pay' as const), amount: fc.integer({ min: 1, max: 10_000_000 }) }),
  },
)

const quarterTag = (q: number) => `${2027 + Math.floor(q / 4)}-Q${(q % 4) + 1}`
const cents = (n: number) => `${Math.floor(n / 100)}.${String(n % 100).padStart(2, '0')}`

describe('the royalty ledger, for random contracts and histories', () => {
  it('balances, agrees with a recomputation from scratch, and ignores repeated steps', async () => {
    await fc.assert(
      fc.asyncProperty(termsArb, fc.array(stepArb, { minLength: 1, maxLength: 7 }), async (terms, steps) => {
        const c = await signedContractFor(terms)
        let paid = 0n
        let payments = 0
        for (const step of steps) {
          if (step.kind === 'pay') {
            const reference = `pay-${c.partner.id}-${payments++}`
            await recordPayment(await systemScope(c.partner.id), {
              reference,
              currency: 'USD',
              amountMinor: BigInt(step.amount),
            })
            // repeated: no effect
            await recordPayment(await systemScope(c.partner.id), {
              reference,
              currency: 'USD',
              amountMinor: BigInt(step.amount),
            })
            paid += BigInt(step.amount)
          } else {
            const rows = terms.perDeviceRoyalty!.bands.map((b, i) =>
              row(b.name, step.units[i]!, { revenue: cents(step.revenue) }),
            )
            const period = quarterTag(step.quarter)
            const existing = await db().royaltyReport.findFirst({
              where: {
                contractId: c.contract.id,
                status: 'current',
                periodStart: new Date(`${parsePeriod(period)!.start}T00:00:00Z`),
              },
            })
            await report(c.partnerScope, c.contract.id, period, rows, { restatement: Boolean(existing) })
            const entries = await db().journalEntry.count({ where: { organizationId: c.partner.id } })
            const again = await report(c.partnerScope, c.contract.id, period, rows, { restatement: true })
            expect(again.duplicate).toBe(true)
            expect(await db().journalEntry.count({ where: { organizationId: c.partner.id } })).toBe(entries)
          }
          for (const t of await trialBalance(db())) expect(t.debitsMinor).toBe(t.creditsMinor)
          const balances = await accountBalances(db(), c.partner.id)
          const receivable = balances
            .filter((b) => b.type === 'royalty_receivable')
            .reduce((s, b) => s + b.balanceMinor, 0n)
          expect(receivable).toBe((await fromScratch(c.contract.id, terms)) - paid)
        }
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 25), endOnFailure: true },
    )
  }, 240_000)
})

/** What the partner owes, recomputed from the current reports alone, without the ledger. */
async function fromScratch(contractId: string, terms: ContractTerms): Promise<bigint> {
  const reports = await db().royaltyReport.findMany({
    where: { contractId, status: 'current' },
    include: { lines: true },
  })
  if (!reports.length) return 0n
  const ratings = rateContractReports(
    { start: terms.term.start },
    reports.map((r) => {
      const unitsByBand: Record<string, number> = {}
      for (const l of r.lines) unitsByBand[l.priceBand] = (unitsByBand[l.priceBand] ?? 0) + l.units
      return {
        id: r.id,
        tag: r.id,
        periodStart: r.periodStart.toISOString().slice(0, 10),
        periodEnd: r.periodEnd.toISOString().slice(0, 10),
        months: 3,
        terms,
        unitsByBand,
        revenueMinor: r.lines.reduce((s, l) => s + l.revenueMinor, 0n),
      }
    }),
  )
  const advance = terms.prepaidAdvance ? amountOf(terms, terms.prepaidAdvance.amount) : 0n
  return advance + ratings.reduce((s, r) => s + r.invoiceTotalMinor, 0n)
}
