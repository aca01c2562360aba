import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { ContractTerms } from '../../services/rating/contract-terms.ts'
import { validateContractTerms } from '../../services/rating/contract-terms.ts'
import { termsSha256 } from '../../services/contracts/terms-sha256.ts'
import { db } from '../../services/platform/db/client.ts'
import { newId } from '../../services/platform/db/ids.ts'
import { accountBalances, trialBalance } from '../../services/ledger/balances.ts'
import { recordPayment } from '../../services/ledger/record-payment.ts'
import { systemScope } from '../../services/tenancy/tenant-guard.ts'
import { report, row, signedContractFor } from '../support/royalties.ts'
import { livingAt } from '../support/time.ts'
import { referenceOwed, type RefContract, type RefReport, type RefTerms } from './reference-rater.ts'

// The platform lives after every period these histories report (contracts start in 2027 and run
// up to two years).
livingAt('2030-06-02T09:00:00Z')

// Random contracts (any start day, monthly or quarterly reporting, EUR or USD, an optional
// amendment of the rates) and random histories of reports, restatements, duplicates and payments.
// After every step: the books balance, the partner's receivable equals what an independent
// reference rater (reference-rater.ts, no production rating code) says is owed less what was paid,
// and repeating the step changes nothing.

const bandNames = ['Entry', 'Mainstream', 'Premium']
const edges = ['0.00', '100.00', '500.00']
const cents = (n: number | bigint) => {
  const v = BigInt(n)
  return `${v / 100n}.${String(v % 100n).padStart(2, '0')}`
}
const micros = (n: number) => `0.${String(n).padStart(6, '0')}`
const iso = (t: number) => new Date(t).toISOString().slice(0, 10)
const dayOf = (base: string, n: number) => iso(Date.parse(`${base}T00:00:00Z`) + n * 86_400_000)
const monthStart = (d: string) => `${d.slice(0, 7)}-01`
const plusMonths = (d: string, n: number) => {
  const m = Number(d.slice(5, 7)) - 1 + n
  return iso(Date.UTC(Number(d.slice(0, 4)) + Math.floor(m / 12), m % 12, 1))
}

interface Plan {
  currency: 'USD' | 'EUR'
  start: string
  end: string
  cadence: 1 | 3
  tiering: 'graduated' | 'volume'
  retroactive: boolean
  bands: number
  cuts: number[]
  rates: number[]
  baseFee?: { cents: number; months: 1 | 3 | 12 }
  revenueShareBps?: number
  guarantee?: { cents: number; months: 3 | 12; carry: boolean }
  advance?: number
  capFactor?: number
  /** An amendment from the start of period `at`, with other rates and revenue share. */
  amendment?: { at: number; rates: number[]; revenueShareBps?: number }
}

const planArb: fc.Arbitrary<Plan> = fc
  .record({
    currency: fc.constantFrom('USD' as const, 'EUR' as const),
    startOffset: fc.integer({ min: 0, max: 364 }),
    lengthDays: fc.integer({ min: 200, max: 730 }),
    cadence: fc.constantFrom(1 as const, 3 as const),
    tiering: fc.constantFrom('graduated' as const, 'volume' as const),
    retroactive: fc.boolean(),
    bands: fc.integer({ min: 1, max: 3 }),
    cuts: fc.array(fc.integer({ min: 1, max: 60_000 }), { minLength: 0, maxLength: 2 }),
    rates: fc.array(fc.integer({ min: 0, max: 999_999 }), { minLength: 3, maxLength: 3 }),
    baseFee: fc.option(
      fc.record({
        cents: fc.integer({ min: 1, max: 5_000_000 }),
        months: fc.constantFrom(1 as const, 3 as const, 12 as const),
      }),
      { nil: undefined },
    ),
    revenueShareBps: fc.option(fc.integer({ min: 1, max: 2_000 }), { nil: undefined }),
    guarantee: fc.option(
      fc.record({
        cents: fc.integer({ min: 1, max: 10_000_000 }),
        months: fc.constantFrom(3 as const, 12 as const),
        carry: fc.boolean(),
      }),
      { nil: undefined },
    ),
    advance: fc.option(fc.integer({ min: 1, max: 20_000_000 }), { nil: undefined }),
    capFactor: fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
    amendment: fc.option(
      fc.record({
        at: fc.integer({ min: 1, max: 8 }),
        rates: fc.array(fc.integer({ min: 0, max: 999_999 }), { minLength: 3, maxLength: 3 }),
        revenueShareBps: fc.option(fc.integer({ min: 1, max: 2_000 }), { nil: undefined }),
      }),
      { nil: undefined },
    ),
  })
  .map((g) => {
    const start = dayOf('2027-01-01', g.startOffset)
    return {
      ...g,
      start,
      end: dayOf(start, g.lengthDays),
      retroactive: g.tiering === 'volume' && g.retroactive,
      cuts: [...new Set(g.cuts)].sort((a, b) => a - b),
    }
  })

/** The reporting periods of a plan: from the one holding the start to the one holding the end. */
function periodsOf(p: Plan): { start: string; end: string; tag: string }[] {
  const first =
    p.cadence === 3 ? plusMonths(monthStart(p.start), -((Number(p.start.slice(5, 7)) - 1) % 3)) : monthStart(p.start)
  const out = []
  for (let s = first; s <= p.end; s = plusMonths(s, p.cadence)) {
    const m = Number(s.slice(5, 7))
    const tag = p.cadence === 3 ? `${s.slice(0, 4)}-Q${Math.floor((m - 1) / 3) + 1}` : s.slice(0, 7)
    out.push({ start: s, end: plusMonths(s, p.cadence), tag })
  }
  return out
}

function termsOf(p: Plan, rates: number[], revenueShareBps: number | undefined): ContractTerms {
  const tiers = (i: number) =>
    [0, ...p.cuts].map((from, j, all) => ({
      fromUnits: from,
      toUnits: all[j + 1] ?? null,
      rate: micros(rates[(i + j) % 3]!),
    }))
  const bands = bandNames.slice(0, p.bands).map((name, i) => ({
    name,
    minAsp: edges[i]!,
    maxAsp: i === p.bands - 1 ? null : edges[i + 1]!,
    tiers: tiers(i),
  }))
  const annualGuarantee = p.guarantee ? p.guarantee.cents * (12 / p.guarantee.months) : 0
  const t: ContractTerms = {
    currency: p.currency,
    tier: 'Tier 1',
    territory: ['Worldwide'],
    products: ['GGML runtime'],
    deviceClasses: ['smartphone'],
    term: { start: p.start, end: p.end, renewal: { kind: 'none' } },
    perDeviceRoyalty: { tiering: p.tiering, ...(p.retroactive && { retroactive: true }), bands },
    baseFee: p.baseFee
      ? {
          amount: cents(p.baseFee.cents),
          period: ({ 1: 'month', 3: 'quarter', 12: 'year' } as const)[p.baseFee.months],
        }
      : undefined,
    revenueShare: revenueShareBps ? { percent: cents(revenueShareBps) } : undefined,
    minimumGuarantee: p.guarantee
      ? {
          amount: cents(p.guarantee.cents),
          period: p.guarantee.months === 3 ? 'quarter' : 'year',
          carryForwardExcess: p.guarantee.carry,
        }
      : undefined,
    prepaidAdvance: p.advance ? { amount: cents(p.advance) } : undefined,
    cap: p.capFactor ? { amount: cents(Math.max(annualGuarantee, 1) * p.capFactor) } : undefined,
  }
  const valid = validateContractTerms('production_license', t)
  if (!valid.ok) throw new Error(JSON.stringify(valid.issues))
  return valid.terms
}

/** The same terms in the reference rater's own shape. */
function refTermsOf(p: Plan, rates: number[], revenueShareBps: number | undefined): RefTerms {
  return {
    tiering: p.tiering,
    retroactive: p.retroactive,
    bands: bandNames.slice(0, p.bands).map((name, i) => ({
      name,
      tiers: [0, ...p.cuts].map((from, j, all) => ({
        from,
        to: all[j + 1] ?? null,
        rateMicros: BigInt(rates[(i + j) % 3]!),
      })),
    })),
    revenueShareBps: revenueShareBps === undefined ? undefined : BigInt(revenueShareBps),
    baseFeeCents: p.baseFee && BigInt(p.baseFee.cents),
    baseFeeMonths: p.baseFee?.months,
    capCents: p.capFactor
      ? BigInt(Math.max(p.guarantee ? p.guarantee.cents * (12 / p.guarantee.months) : 0, 1) * p.capFactor)
      : undefined,
    advanceCents: p.advance === undefined ? undefined : BigInt(p.advance),
    guarantee: p.guarantee && {
      cents: BigInt(p.guarantee.cents),
      months: p.guarantee.months,
      carry: p.guarantee.carry,
    },
  }
}

type Step = { kind: 'report'; period: number; units: number[]; revenue: number } | { kind: 'pay'; amount: number }
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('report' as const),
      period: fc.nat(),
      units: fc.array(fc.integer({ min: 0, max: 400_000 }), { minLength: 3, maxLength: 3 }),
      revenue: fc.integer({ min: 0, max: 1_000_000_000 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('pay' as const), amount: fc.integer({ min: 1, max: 10_000_000 }) }),
  },
)

describe('the royalty ledger, for random contracts and histories', () => {
  it('balances, agrees with an independent reference rater, and ignores repeated steps', async () => {
    await fc.assert(
      fc.asyncProperty(planArb, fc.array(stepArb, { minLength: 1, maxLength: 8 }), async (plan, steps) => {
        const periods = periodsOf(plan)
        const v1 = termsOf(plan, plan.rates, plan.revenueShareBps)
        const c = await signedContractFor(v1)
        const ref: RefContract = {
          start: plan.start,
          end: plan.end,
          versions: [{ from: plan.start, terms: refTermsOf(plan, plan.rates, plan.revenueShareBps) }],
        }
        const amendAt = plan.amendment && periods[plan.amendment.at]
        if (plan.amendment && amendAt && amendAt.start > plan.start) {
          const v2 = termsOf(plan, plan.amendment.rates, plan.amendment.revenueShareBps)
          await db().contractVersion.create({
            data: {
              id: newId(),
              contractId: c.contract.id,
              organizationId: c.partner.id,
              version: 2,
              effectiveFrom: new Date(`${amendAt.start}T00:00:00Z`),
              terms: v2 as object,
              termsSha256: termsSha256(v2),
              state: 'signed',
              signedAt: new Date(),
            },
          })
          ref.versions.push({
            from: amendAt.start,
            terms: refTermsOf(plan, plan.amendment.rates, plan.amendment.revenueShareBps),
          })
        }
        const filed = new Map<string, RefReport>()
        let paid = 0n
        let payments = 0
        for (const step of steps) {
          if (step.kind === 'pay') {
            const reference = `pay-${c.partner.id}-${payments++}`
            const pay = { reference, currency: plan.currency, amountMinor: BigInt(step.amount) }
            await recordPayment(await systemScope(c.partner.id), pay)
            await recordPayment(await systemScope(c.partner.id), pay) // repeated: no effect
            paid += BigInt(step.amount)
          } else {
            const period = periods[step.period % periods.length]!
            const rows = v1.perDeviceRoyalty!.bands.map((b, i) =>
              row(b.name, step.units[i]!, { revenue: cents(step.revenue) }),
            )
            await report(c.partnerScope, c.contract.id, period.tag, rows, { restatement: filed.has(period.tag) })
            const units: Record<string, number> = {}
            v1.perDeviceRoyalty!.bands.forEach((b, i) => (units[b.name] = (units[b.name] ?? 0) + step.units[i]!))
            filed.set(period.tag, {
              start: period.start,
              end: period.end,
              months: plan.cadence,
              units,
              revenueCents: BigInt(step.revenue) * BigInt(rows.length),
            })
            const entries = await db().journalEntry.count({ where: { organizationId: c.partner.id } })
            const again = await report(c.partnerScope, c.contract.id, period.tag, rows, { restatement: true })
            expect(again.duplicate).toBe(true)
            expect(await db().journalEntry.count({ where: { organizationId: c.partner.id } })).toBe(entries)
          }
          for (const t of await trialBalance(db())) expect(t.debitsMinor).toBe(t.creditsMinor)
          const receivable = (await accountBalances(db(), c.partner.id))
            .filter((b) => b.type === 'royalty_receivable')
            .reduce((s, b) => s + b.balanceMinor, 0n)
          expect(receivable).toBe(referenceOwed(ref, [...filed.values()]) - paid)
        }
      }),
      {
        numRuns: Number(process.env.PROPERTY_RUNS ?? 25),
        endOnFailure: true,
        seed: Number(process.env.PROPERTY_SEED) || undefined,
      },
    )
  }, 300_000)
})
