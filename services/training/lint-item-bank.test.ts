import { describe, expect, it } from 'vitest'
import { lintItem, lintItemBank, type LintItem } from './lint-item-bank.ts'

/** An item from its choice texts in authored order and its key as 1-based numbers, as item writers give it. */
function item(id: string, texts: string[], key: number[], kind = key.length > 1 ? 'multiple' : 'single'): LintItem {
  const choices = texts.map((text, i) => ({ id: String.fromCharCode(97 + i), text }))
  return { id, domain: 'd', kind: kind as LintItem['kind'], choices, key: key.map((k) => choices[k - 1]!.id) }
}

const codes = (findings: { code: string }[]) => findings.map((f) => f.code)
const measure = (items: LintItem[], code: string) => lintItemBank(items).measures.find((m) => m.code === code)!

describe('bank lint: what a candidate who knows nothing scores', () => {
  it('flags a bank whose key is the unique longest choice in 3 of 4 single-choice items (75% against 25% + 10)', () => {
    // Lengths 5/4/3/2; the key is the longest in i1–i3 and a middle choice in i4. Keys sit at a, b, c, d.
    const bank = [
      item('i1', ['abcde', 'abcd', 'abc', 'ab'], [1]),
      item('i2', ['abcd', 'abcde', 'abc', 'ab'], [2]),
      item('i3', ['ab', 'abc', 'abcde', 'abcd'], [3]),
      item('i4', ['abcde', 'ab', 'abcd', 'abc'], [4]),
    ]
    const lint = lintItemBank(bank)
    expect(lint.bank).toHaveLength(1)
    expect(lint.bank[0]).toMatchObject({
      code: 'key_often_longest',
      severity: 'error',
      figures: { items: 4, unique: 3, share: 0.75, chance: 0.25, threshold: 0.35 },
    })
    expect(lint.bank[0]!.message).toBe(
      'The key is the unique longest choice in 3 of 4 single-choice items: a candidate who always picks the ' +
        'longest choice scores 75% where chance is 25%. Bring it to 35% or less: shorten those keys or lengthen ' +
        'their distractors.',
    )
    // Striking out both extremes wins only on i4, where two middle choices remain: 0.5 / 4.
    expect(measure(bank, 'key_often_middle')).toMatchObject({ share: 0.125, flagged: false })
    expect(measure(bank, 'key_often_shortest')).toMatchObject({ share: 0, flagged: false })
  })

  it('a key tied for longest is half a hit; chance averages 1/k over items of 3, 4 and 5 choices', () => {
    const bank = [
      // Key "wxyz" ties with "abcd": a longest-picker is right half the time.
      item('tie', ['ab', 'wxyz', 'abcd', 'a'], [2]),
      // The key is the unique shortest in all three (and the keys sit at b, a, d, c).
      item('k3', ['a', 'abc', 'ab'], [1]),
      item('k4', ['abc', 'abcd', 'abcde', 'ab'], [4]),
      item('k5', ['abc', 'abcd', 'ab', 'abcde', 'abcdef'], [3]),
    ]
    // Chance: (1/4 + 1/3 + 1/4 + 1/5) / 4 = 1.0333… / 4 = 0.25833…; threshold 0.35833….
    expect(measure(bank, 'key_often_longest')).toMatchObject({ items: 4, share: 0.125, flagged: false })
    expect(measure(bank, 'key_often_longest').chance).toBeCloseTo(31 / 120, 12)
    const lint = lintItemBank(bank)
    expect(codes(lint.bank)).toEqual(['key_often_shortest'])
    expect(lint.bank[0]!.figures).toMatchObject({ items: 4, unique: 3, share: 0.75 })
    expect(lint.bank[0]!.figures.threshold).toBeCloseTo(31 / 120 + 0.1, 12)
  })

  it('flags the over-correction too: a key that is never the longest nor the shortest', () => {
    // Every key is one of the two middle lengths: striking out the extremes leaves a coin toss, 50% against 25%.
    const bank = [
      item('m1', ['abc', 'a', 'abcd', 'ab'], [1]),
      item('m2', ['a', 'ab', 'abcd', 'abc'], [2]),
      item('m3', ['abcd', 'a', 'ab', 'abc'], [3]),
      item('m4', ['a', 'abcd', 'abc', 'ab'], [4]),
    ]
    const lint = lintItemBank(bank)
    expect(codes(lint.bank)).toEqual(['key_often_middle'])
    expect(lint.bank[0]!.figures).toMatchObject({ items: 4, among: 4, share: 0.5, chance: 0.25 })
    expect(lint.bank[0]!.message).toContain('strikes out the longest and the shortest choice scores 50%')
  })

  it('multiple response: the longest choice in every key, or in none, is flagged both ways', () => {
    // Two of four choices are keys: chance that the longest is a key is 1/2, flagged above 60% or below 40%.
    const often = [item('o1', ['abcde', 'ab', 'abc', 'abcd'], [1, 2]), item('o2', ['ab', 'abcde', 'abc', 'a'], [2, 4])]
    const rarely = [item('r1', ['abcde', 'ab', 'abc', 'abcd'], [2, 3]), item('r2', ['ab', 'abcde', 'abc', 'a'], [1, 3])]
    const balanced = [often[0]!, rarely[1]!]
    expect(lintItemBank(often).bank).toEqual([
      expect.objectContaining({
        code: 'key_often_includes_longest',
        figures: expect.objectContaining({ items: 2, unique: 2, share: 1, chance: 0.5, threshold: 0.6 }),
      }),
    ])
    expect(lintItemBank(rarely).bank).toEqual([
      expect.objectContaining({
        code: 'key_rarely_includes_longest',
        figures: expect.objectContaining({ share: 0, chance: 0.5, threshold: 0.4 }),
      }),
    ])
    expect(lintItemBank(balanced).bank).toEqual([])
  })

  it('key position in authored order is a warning, measured against the items that have that position', () => {
    // The key is choice d in both four-choice items; the three-choice item has no d.
    // Chance at d: (1/4 + 1/4) / 3 = 1/6; the share is 2/3, above 1/6 + 15 points.
    const bank = [
      item('p1', ['abc', 'abcd', 'ab', 'abcde'], [4]),
      item('p2', ['abcd', 'ab', 'abcde', 'abc'], [4]),
      item('p3', ['abc', 'a', 'ab'], [2]),
    ]
    const lint = lintItemBank(bank)
    expect(codes(lint.bank)).toEqual(['key_position_skewed'])
    const position = lint.bank[0]!
    expect(position).toMatchObject({ severity: 'warning', figures: { items: 3, position: 4, hits: 2 } })
    expect(position.figures.share).toBeCloseTo(2 / 3, 12)
    expect(position.figures.chance).toBeCloseTo(1 / 6, 12)
    expect(position.message).toMatch(/^Choice d is the key in 2 of 3 single-choice items \(67% where chance is 17%\)/)
  })

  it('a bank with every cue at chance has no bank-level finding', () => {
    // Keys: longest once, shortest once, middle twice; one key at each position.
    const bank = [
      item('b1', ['abcde', 'abcd', 'abc', 'ab'], [1]),
      item('b2', ['abcd', 'ab', 'abcde', 'abc'], [2]),
      item('b3', ['abcde', 'ab', 'abcd', 'abc'], [3]),
      item('b4', ['abcde', 'abc', 'ab', 'abcd'], [4]),
    ]
    const lint = lintItemBank(bank)
    expect(lint.bank).toEqual([])
    expect(lint.measures.map((m) => [m.code, m.share])).toEqual([
      ['key_often_longest', 0.25],
      ['key_often_shortest', 0.25],
      ['key_often_middle', 0.25],
      ['key_position_skewed', 0.25],
    ])
  })
})

describe('item lint: cues in one item', () => {
  it('two choices are too few: a guess is right half the time', () => {
    expect(lintItem(item('yn', ['Yes', 'No'], [1]))).toEqual([
      expect.objectContaining({ code: 'too_few_choices', severity: 'error', figures: { choices: 2, minimum: 3 } }),
    ])
  })

  it('duplicate choices, whatever their case and spacing', () => {
    const findings = lintItem(item('dup', ['Metal', 'CUDA', ' metal ', 'Vulkan'], [2]))
    expect(findings).toEqual([
      expect.objectContaining({ code: 'duplicate_choices', severity: 'error', figures: { first: 1, second: 3 } }),
    ])
  })

  it('options that refer to the others, which a shuffled form scatters', () => {
    const flagged = ['All of the above', 'None of these', 'Both a and c', 'B and D', 'Both', 'Options 1 and 3']
    for (const text of flagged)
      expect(codes(lintItem(item('x', ['Metal', 'CUDA', 'Vulkan', text], [1]))), text).toEqual([
        'choice_refers_to_others',
      ])
    // Ordinary technical text that merely says "and" is not a reference to other choices.
    for (const text of ['-b and -ub', 'The batch and ubatch sizes', 'Both prompt and generation'])
      expect(codes(lintItem(item('x', ['Metal', 'CUDA', 'Vulkan', text], [1]))), text).toEqual([])
  })

  it('a key more than 1.5 times the longest distractor: 16 characters against 10 is, 15 is not', () => {
    const long = lintItem(item('long', ['0123456789abcdef', '0123456789', 'abc', 'abcd'], [1]))
    expect(long).toEqual([
      expect.objectContaining({
        code: 'key_much_longer',
        severity: 'error',
        figures: { position: 1, keyLength: 16, longestDistractor: 10, ratio: 1.6 },
      }),
    ])
    expect(lintItem(item('edge', ['0123456789abcde', '0123456789', 'abc', 'abcd'], [1]))).toEqual([])
    // In a multiple-response item each key is compared with the longest distractor.
    expect(codes(lintItem(item('mr', ['0123456789abcdef', 'ab', '0123456789', 'abc'], [1, 2])))).toEqual([
      'key_much_longer',
    ])
  })

  it('absolute words only in distractors are a warning; in the key too, no cue', () => {
    const cue = lintItem(item('abs', ['It is set per run', 'It never affects quality', 'It only works on GPUs'], [1]))
    expect(cue).toEqual([
      expect.objectContaining({ code: 'absolute_distractor', severity: 'warning', figures: { distractors: 2 } }),
    ])
    expect(cue[0]!.message).toContain('b: "never", c: "only"')
    expect(lintItem(item('both', ['It holds only data', 'It never loads', 'It is signed'], [1]))).toEqual([])
  })

  it('the bank lists the items that have findings, in the order given, after the bank-level ones', () => {
    const lint = lintItemBank([
      item('clean', ['abcd', 'abc', 'abcde', 'ab'], [1]),
      item('dup', ['abc', 'ABC', 'abcd', 'ab'], [3]),
      item('two', ['abc', 'abcd'], [1]),
    ])
    expect(lint.items.map((i) => [i.itemId, codes(i.findings)])).toEqual([
      ['dup', ['duplicate_choices']],
      ['two', ['too_few_choices']],
    ])
  })
})
