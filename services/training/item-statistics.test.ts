import { describe, expect, it } from 'vitest'
import { itemStatistics, MIN_ATTEMPTS_FOR_STABLE_STATISTICS, smallSampleWarning } from './item-statistics.ts'

// Five candidates, one four-item form. Computed by hand:
//   A 1111 (4)  B 1110 (3)  C 1100 (2)  D 1001 (2)  E 0001 (1);  mean 2.4, variance 5.2/5 = 1.04
//   i1: p = .8, rest = 3 2 1 1 1 → Σxy .6, Σxx .8, Σyy 3.2 → r = .6/√2.56 = .375
//   i4: p = .6, rest = 3 3 2 1 0 → Σxy −1.4, Σxx 1.2, Σyy 6.8 → r = −1.4/√8.16 = −.49010
//   Σpq = .16 + .24 + .24 + .24 = .88 → KR-20 = 4/3 × (1 − .88/1.04) = .64/3.12 = .20513
const rows = ['1111', '1110', '1100', '1001', '0001']
const wrongAnswerFor4: Record<number, string> = { 1: 'b', 2: 'c' }
const attempts = rows.map((row, candidate) => ({
  responses: [...row].map((bit, i) => ({
    itemId: `i${i + 1}`,
    correct: bit === '1',
    answer: bit === '1' ? ['a'] : [i === 3 ? wrongAnswerFor4[candidate]! : 'b'],
  })),
}))

describe('item statistics on a worked example', () => {
  const stats = itemStatistics(attempts)
  const item = (id: string) => stats.items.find((i) => i.itemId === id)!

  it('facility is the share answering correctly', () => {
    expect(stats.items.map((i) => i.facility)).toEqual([0.8, 0.6, 0.4, 0.6])
  })

  it('discrimination is the corrected point-biserial (item against the rest of the form)', () => {
    expect(item('i1').discrimination).toBeCloseTo(0.375, 10)
    expect(item('i4').discrimination).toBeCloseTo(-1.4 / Math.sqrt(8.16), 10)
  })

  it("each distractor's choice rate", () => {
    expect(item('i4').choiceRates).toEqual({ a: 0.6, b: expect.closeTo(0.2, 10), c: expect.closeTo(0.2, 10) })
  })

  it('KR-20 reliability of the exam', () => {
    expect(stats.kr20).toBeCloseTo(0.64 / 3.12, 10)
  })

  it('flags an item that discriminates negatively, and none that are fine', () => {
    expect(item('i4').flags).toEqual(['discriminates negatively'])
    expect(item('i1').flags).toEqual([])
  })

  it('flags too easy and too hard items', () => {
    const easy = itemStatistics(
      Array.from({ length: 10 }, (_, n) => ({
        responses: [
          { itemId: 'easy', correct: true, answer: ['a'] },
          { itemId: 'hard', correct: n === 0, answer: ['a'] },
        ],
      })),
    )
    expect(easy.items.find((i) => i.itemId === 'easy')!.flags).toContain('too easy')
    expect(easy.items.find((i) => i.itemId === 'hard')!.flags).toContain('too hard')
  })
})

describe('small samples (issue 29)', () => {
  it('warns under 30 first attempts and says why, and is quiet from 30 on', () => {
    expect(smallSampleWarning(7)).toMatch(/^Only 7 first attempts: reliability \(KR-20\).* under 30 attempts/)
    expect(smallSampleWarning(1)).toMatch(/^Only 1 first attempt:/)
    expect(smallSampleWarning(0)).toMatch(/^Only 0 first attempts/)
    expect(smallSampleWarning(29)).not.toBeNull()
    expect(smallSampleWarning(MIN_ATTEMPTS_FOR_STABLE_STATISTICS)).toBeNull()
  })
})
