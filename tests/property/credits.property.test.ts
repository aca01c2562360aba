import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { db } from '../../services/platform/db/client.ts'
import { expireLots } from '../../services/credits/expire-lots.ts'
import { recordUsage } from '../../services/credits/record-usage.ts'
import { accountBalances } from '../../services/ledger/balances.ts'
import { resetClock, travelTo } from '../../services/platform/clock.ts'
import { contributorWithLots } from '../support/credits.ts'
import { unique } from '../support/fixtures.ts'

afterAll(() => resetClock())

// Random lots (amount, category restriction, acceptance day) and a random history of usage reports
// and expiry runs. A reference written here from the published rules (program-terms.ts DRAWDOWN_ORDER,
// not the production allocator) says which lots pay; after every step each lot's granted amount is
// spent + expired + remaining, and the books hold exactly what the lots hold.

const DAY = 86_400_000
const BASE = Date.UTC(2050, 0, 1)
const categories = ['inference', 'fine_tuning', 'storage'] as const
type Category = (typeof categories)[number]

interface RefLot {
  id: string
  granted: bigint
  spent: bigint
  expired: bigint
  from: number
  until: number // first instant after the last day
  category: Category | null
}

const refRemaining = (l: RefLot) => l.granted - l.spent - l.expired

/** Which lot pays next, by the rule as written: soonest expiry; restricted before open; oldest. */
function nextPayer(lots: RefLot[], category: Category, at: number): RefLot | undefined {
  let best: RefLot | undefined
  for (const l of lots) {
    if (refRemaining(l) <= 0n || at < l.from || at >= l.until) continue
    if (l.category !== null && l.category !== category) continue
    if (!best) best = l
    else if (l.until !== best.until) best = l.until < best.until ? l : best
    else if ((l.category === null) !== (best.category === null)) best = l.category !== null ? l : best
    else if (l.from !== best.from) best = l.from < best.from ? l : best
    else best = l.id < best.id ? l : best
  }
  return best
}

const lotArb = fc.record({
  cents: fc.integer({ min: 50_000, max: 200_000 }),
  category: fc.constantFrom<Category | null>(null, null, 'inference', 'storage'),
  // Few distinct days, so lots often expire together and the tie-breaks (restricted first, oldest) decide.
  day: fc.constantFrom(0, 0, 10, 40),
})
const stepArb = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('usage' as const),
      gap: fc.integer({ min: 0, max: 40 }),
      cents: fc.integer({ min: 1, max: 80_000 }),
      category: fc.constantFrom(...categories),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('expire' as const), gap: fc.integer({ min: 0, max: 90 }) }) },
)

describe('contributor credits, over random lots and usage', () => {
  it('draw in the documented order and always account for every credit granted', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(lotArb, { minLength: 1, maxLength: 3 }),
        fc.array(stepArb, { maxLength: 14 }),
        async (lotPlan, steps) => {
          const accepts = lotPlan.map((l) => new Date(BASE + l.day * DAY + 3_600_000).toISOString())
          const c = await contributorWithLots(
            lotPlan.map((l, i) => ({
              amount: `${Math.floor(l.cents / 100)}.${String(l.cents % 100).padStart(2, '0')}`,
              category: l.category ?? undefined,
              acceptAt: accepts[i]!,
            })),
          )
          const grants = await db().creditGrant.findMany({ where: { id: { in: c.grantIds } } })
          const lots: RefLot[] = c.grantIds.map((id, i) => {
            const g = grants.find((x) => x.id === id)!
            return {
              id,
              granted: BigInt(lotPlan[i]!.cents),
              spent: 0n,
              expired: 0n,
              from: g.grantedAt!.getTime(),
              until: g.expiresAt!.getTime(),
              category: lotPlan[i]!.category,
            }
          })
          let t = BASE + 61 * DAY
          for (const step of steps) {
            t += step.gap * DAY
            travelTo(new Date(t))
            if (step.kind === 'expire') {
              await expireLots()
              for (const l of lots) if (l.until <= t) l.expired += refRemaining(l)
            } else {
              const r = await recordUsage(
                {
                  account: c.organization.slug,
                  category: step.category,
                  amount: `${Math.floor(step.cents / 100)}.${String(step.cents % 100).padStart(2, '0')}`,
                  occurredAt: new Date(t).toISOString(),
                },
                unique('p'),
              )
              let left = BigInt(step.cents)
              const expected: { lotId: string; amount: bigint }[] = []
              for (let l = nextPayer(lots, step.category, t); l && left > 0n; l = nextPayer(lots, step.category, t)) {
                const take = refRemaining(l) < left ? refRemaining(l) : left
                l.spent += take
                left -= take
                expected.push({ lotId: l.id, amount: take })
              }
              const cents = (v: bigint) => `${v / 100n}.${String(v % 100n).padStart(2, '0')}`
              expect(r.draws).toEqual(expected.map((e) => ({ lotId: e.lotId, amount: cents(e.amount) })))
              expect(r.uncovered).toBe(cents(left))
            }
            // granted = spent + expired + remaining, lot by lot, in the database as in the reference.
            const draws = await db().creditDraw.groupBy({
              by: ['grantId', 'kind'],
              where: { organizationId: c.organization.id },
              _sum: { amountMinor: true },
            })
            for (const l of lots) {
              const sum = (kind: string) =>
                draws.find((d) => d.grantId === l.id && d.kind === kind)?._sum.amountMinor ?? 0n
              expect([sum('spend'), sum('expiry')]).toEqual([l.spent, l.expired])
            }
            const b = await accountBalances(db(), c.organization.id)
            const held = -(b.find((x) => x.type === 'contributor_credit')?.balanceMinor ?? 0n)
            expect(held).toBe(lots.reduce((s, l) => s + refRemaining(l), 0n))
            const expense = b.find((x) => x.type === 'credit_program_expense')?.balanceMinor ?? 0n
            expect(expense).toBe(lots.reduce((s, l) => s + l.granted, 0n))
          }
        },
      ),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 25), endOnFailure: true },
    )
  })
})
