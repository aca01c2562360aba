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
          need: fc.integer({ min: 2, max: 6 }),
          overlap: fc.integer({ min: 0, max: 40 }),
          retakeShare: fc.double({ min: 0, max: 0.5, noNaN: true }),
          salt: fc.string(),
        }),
        ({ domains, perDomain, need, overlap, retakeShare, salt }) => {
          // The cap must leave room for a form and a retake: r ≥ 2k/n (see assemble-form.ts).
          const maxExposurePercent = Math.min(100, Math.ceil((200 * need) / perDomain) + 5)
          const blueprint = Object.fromEntries(Array.from({ length: domains }, (_, d) => [`domain-${d}`, need]))
          const policy = { blueprint, maxExposurePercent, maxOverlapPercent: overlap }
          const bank = bankOf(domains, perDomain)
          const exposure = new Map<string, number>()
          const seenBy: Set<string>[] = []
          let forms = 0
          for (let c = 0; c < 1500; c++) {
            const retake = c > 0 && (c * 7919) % 1000 < retakeShare * 1000
            const candidate = retake ? (c * 31) % seenBy.length : seenBy.length
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
            // Exposure: counted from the forms themselves.
            const limit = Math.ceil((maxExposurePercent * Math.max(forms, EXPOSURE_WARMUP_FORMS)) / 100)
            for (const count of exposure.values()) expect(count).toBeLessThanOrEqual(limit)
          }
        },
      ),
      { numRuns: 8 },
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
