import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  assembleForm,
  EXPOSURE_WARMUP_FORMS,
  overlapAllowance,
  type BankItem,
} from '../../services/training/assemble-form.ts'

// Thousands of seeded candidates against one bank, some retaking. The oracle counts what the forms
// hold, independently of the assembler: each form meets the blueprint with distinct items; no item is
// on more than its share of forms at any point; a retake repeats at most the allowed items; and the
// same seed with the same bank gives the same form.

const bankOf = (domains: number, perDomain: number): BankItem[] =>
  Array.from({ length: domains * perDomain }, (_, i) => ({
    itemId: `item-${i}`,
    versionId: `v-${i}`,
    domain: `domain-${i % domains}`,
    exposureCount: 0,
    choiceIds: ['a', 'b', 'c', 'd'],
  }))

describe('exam form assembly (property)', () => {
  it('meets the blueprint, holds exposure caps and bounds retake overlap over thousands of candidates', () => {
    fc.assert(
      fc.property(
        fc.record({
          domains: fc.integer({ min: 2, max: 5 }),
          perDomain: fc.integer({ min: 12, max: 30 }),
          need: fc.integer({ min: 2, max: 4 }),
          overlap: fc.integer({ min: 0, max: 40 }),
          retakeShare: fc.double({ min: 0, max: 0.5, noNaN: true }),
          salt: fc.string(),
        }),
        ({ domains, perDomain, need, overlap, retakeShare, salt }) => {
          // Items at the cap number fewer than 100k/r, and a retake excludes up to k seen items, so a
          // form and a retake always fit when n − 2k ≥ 100k/r: the cap is chosen just above that.
          const maxExposurePercent = Math.min(100, Math.ceil((100 * need) / (perDomain - 2 * need)) + 5)
          const blueprint = Object.fromEntries(Array.from({ length: domains }, (_, d) => [`domain-${d}`, need]))
          const policy = { blueprint, maxExposurePercent, maxOverlapPercent: overlap }
          const bank = bankOf(domains, perDomain)
          const exposure = new Map<string, number>()
          const seenBy: Set<string>[] = []
          const formsOf: number[] = []
          let forms = 0
          for (let c = 0; c < 1000; c++) {
            // A retake is a candidate's second form: someone who has taken exactly one.
            const once = formsOf.flatMap((n, i) => (n === 1 ? [i] : []))
            const retake = once.length > 0 && (c * 7919) % 1000 < retakeShare * 1000
            const candidate = retake ? once[(c * 31) % once.length]! : seenBy.length
            const seen = seenBy[candidate] ?? new Set<string>()
            const current = bank.map((i) => ({ ...i, exposureCount: exposure.get(i.itemId) ?? 0 }))
            const input = { seed: `${salt}:${c}`, bank: current, policy, formsAssembled: forms, seenItemIds: seen }
            const form = assembleForm(input)
            expect(assembleForm(input)).toEqual(form)
            forms++
            // Blueprint: distinct items, the right number from each domain, choices a permutation.
            expect(new Set(form.map((f) => f.itemId)).size).toBe(form.length)
            for (const [domain, n] of Object.entries(blueprint))
              expect(form.filter((f) => f.domain === domain)).toHaveLength(n)
            for (const f of form) expect([...f.choiceOrder].sort()).toEqual(['a', 'b', 'c', 'd'])
            // Overlap with the candidate's earlier forms.
            const repeated = form.filter((f) => seen.has(f.itemId)).length
            expect(repeated).toBeLessThanOrEqual(overlapAllowance(form.length, overlap))
            for (const f of form) {
              exposure.set(f.itemId, (exposure.get(f.itemId) ?? 0) + 1)
              seen.add(f.itemId)
            }
            seenBy[candidate] = seen
            formsOf[candidate] = (formsOf[candidate] ?? 0) + 1
            // Exposure: counted from the forms themselves.
            const limit = Math.ceil((maxExposurePercent * Math.max(forms, EXPOSURE_WARMUP_FORMS)) / 100)
            for (const count of exposure.values()) expect(count).toBeLessThanOrEqual(limit)
          }
        },
      ),
      { numRuns: 6 },
    )
  }, 120_000)

  it('refuses a bank too small for the blueprint, saying which domain is short', () => {
    expect(() =>
      assembleForm({
        seed: 's',
        bank: bankOf(2, 3),
        policy: { blueprint: { 'domain-0': 5, 'domain-1': 1 }, maxExposurePercent: 100, maxOverlapPercent: 0 },
        formsAssembled: 0,
        seenItemIds: new Set(),
      }),
    ).toThrow(/domain "domain-0" needs 5 items/)
  })
})
