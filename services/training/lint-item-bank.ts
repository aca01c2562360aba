/**
 * An item-writing lint for an exam's bank (issue 26): the cues that let a candidate who knows nothing
 * beat chance. Choices are shuffled per candidate, so position leaks only where a form shows authored
 * order; length and wording leak through any shuffle.
 */

export interface LintChoice {
  id: string
  text: string
}

export interface LintItem {
  id: string
  domain: string
  kind: 'single' | 'multiple'
  /** In authored order. */
  choices: readonly LintChoice[]
  key: readonly string[]
}

export type LintSeverity = 'error' | 'warning'

export type BankLintCode =
  | 'key_often_longest'
  | 'key_often_shortest'
  | 'key_often_middle'
  | 'key_often_includes_longest'
  | 'key_rarely_includes_longest'
  | 'key_position_skewed'

export type ItemLintCode =
  'too_few_choices' | 'duplicate_choices' | 'choice_refers_to_others' | 'key_much_longer' | 'absolute_distractor'

export interface LintFinding<Code extends string> {
  code: Code
  severity: LintSeverity
  /** A sentence an item writer can act on. */
  message: string
  figures: Record<string, number>
}

export type BankFinding = LintFinding<BankLintCode>
export type ItemFinding = LintFinding<ItemLintCode>

/** One blind strategy measured over the bank, flagged or not, so a page can show the figures either way. */
export interface BankMeasure {
  code: BankLintCode
  /** Items the measure counts. */
  items: number
  /** What the blind strategy scores on those items (ties for longest or shortest split at random). */
  share: number
  /** What it would score if the writer's lengths or positions carried no information. */
  chance: number
  /** Flagged when the share is above this (below it, for key_rarely_includes_longest). */
  threshold: number
  flagged: boolean
}

export interface ItemBankLint {
  /** Bank-level findings first, then the items that have findings, in the order given. */
  bank: BankFinding[]
  items: { itemId: string; findings: ItemFinding[] }[]
  measures: BankMeasure[]
}

/**
 * How far above chance a length cue may go. If lengths carried no information, the number of single
 * items whose key is the longest choice would be Binomial(n, 1/k): for a bank of 50 four-choice items
 * the share's standard deviation is √(0.25·0.75/50) ≈ 6 points, so an honest bank passes 25% + 10
 * points about 95% of the time (P(X > 17.5) ≈ 5.5%), and a bank whose key is the longest half the time
 * is 4 standard deviations out. At the threshold, a candidate who always picks the longest choice is
 * right 35% of the time: P(Bin(20, 0.35) ≥ 14) ≈ 0.15% to pass a 20-item form at 70%.
 */
export const LENGTH_MARGIN = 0.1

/**
 * Position is tested on every position at once, so its margin is wider: for 45 four-choice items one
 * position exceeds 40% with probability ≈ 0.85%, any of the four ≈ 3.4%.
 */
export const POSITION_MARGIN = 0.15

/** A key this many times as long as the longest distractor gives itself away on its own. */
export const KEY_LENGTH_RATIO = 1.5

export const MIN_CHOICES = 3

// Rounding in the shares must not flag a bank exactly at a threshold.
const EPSILON = 1e-9

const normalize = (text: string) => text.trim().replace(/\s+/g, ' ')
const lengthOf = (text: string) => [...normalize(text)].length
const percent = (x: number) => `${Math.round(x * 100)}%`
const letter = (position: number) => String.fromCharCode(97 + position)

type Pick = 'longest' | 'shortest' | 'middle'

/**
 * The positions (in authored order) a blind candidate would bet on: the longest or the shortest choices
 * (several when lengths tie), or those that are neither (all of them when every choice is one or the other).
 */
function bet(choices: readonly LintChoice[], pick: Pick): number[] {
  const lengths = choices.map((c) => lengthOf(c.text))
  const max = Math.max(...lengths)
  const min = Math.min(...lengths)
  const at = lengths.flatMap((l, i) =>
    (pick === 'longest' ? l === max : pick === 'shortest' ? l === min : l !== max && l !== min) ? [i] : [],
  )
  return at.length ? at : lengths.map((_, i) => i)
}

/** The share of a bet that lands on a key: 1 for a unique key, 1/2 for a key tied with a distractor… */
function hitRate(item: LintItem, positions: number[]): number {
  return positions.filter((i) => item.key.includes(item.choices[i]!.id)).length / positions.length
}

interface LengthBet {
  items: number
  share: number
  chance: number
  /** Items where the bet is a single choice and it is a key. */
  unique: number
  /** Items where the bet is narrower than "any choice" and includes a key. */
  among: number
}

function lengthBet(items: readonly LintItem[], pick: Pick): LengthBet {
  let hits = 0
  let chance = 0
  let unique = 0
  let among = 0
  for (const item of items) {
    const at = bet(item.choices, pick)
    hits += hitRate(item, at)
    // Whatever the ties, a choice drawn at random is a key with probability (number of keys)/k.
    chance += item.key.length / item.choices.length
    const keyed = at.some((i) => item.key.includes(item.choices[i]!.id))
    if (at.length === 1 && keyed) unique++
    if (at.length < item.choices.length && keyed) among++
  }
  return { items: items.length, share: hits / items.length, chance: chance / items.length, unique, among }
}

function measure(code: BankLintCode, b: LengthBet, below = false): BankMeasure {
  const threshold = below ? b.chance - LENGTH_MARGIN : b.chance + LENGTH_MARGIN
  const flagged = below ? b.share < threshold - EPSILON : b.share > threshold + EPSILON
  return { code, items: b.items, share: b.share, chance: b.chance, threshold, flagged }
}

const lengthFigures = (b: LengthBet, m: BankMeasure) => ({
  items: b.items,
  unique: b.unique,
  among: b.among,
  share: b.share,
  chance: b.chance,
  threshold: m.threshold,
})

/** What a candidate betting on lengths scores, on single-choice items. */
function singleLengthFindings(single: readonly LintItem[]): { findings: BankFinding[]; measures: BankMeasure[] } {
  const findings: BankFinding[] = []
  const scores = (b: LengthBet) => `scores ${percent(b.share)} where chance is ${percent(b.chance)}`
  const longest = lengthBet(single, 'longest')
  const shortest = lengthBet(single, 'shortest')
  // A bank "fixed" by shortening every key leaks the other way: the key is never an extreme.
  const middle = lengthBet(single, 'middle')
  const byLongest = measure('key_often_longest', longest)
  const byShortest = measure('key_often_shortest', shortest)
  const byMiddle = measure('key_often_middle', middle)
  const measures = [byLongest, byShortest, byMiddle]
  for (const [b, m, word, advice] of [
    [longest, byLongest, 'longest', 'shorten those keys or lengthen their distractors'],
    [shortest, byShortest, 'shortest', 'lengthen those keys or shorten their distractors'],
  ] as const)
    if (m.flagged)
      findings.push({
        code: m.code,
        severity: 'error',
        message:
          `The key is the unique ${word} choice in ${b.unique} of ${b.items} single-choice items: a candidate ` +
          `who always picks the ${word} choice ${scores(b)}. Bring it to ${percent(m.threshold)} or less: ` +
          `${advice}.`,
        figures: lengthFigures(b, m),
      })
  if (byMiddle.flagged)
    findings.push({
      code: 'key_often_middle',
      severity: 'error',
      message:
        `The key is neither the longest nor the shortest choice in ${middle.among} of ${middle.items} ` +
        `single-choice items: a candidate who strikes out the longest and the shortest choice ` +
        `${scores(middle)}. Let the key be the longest choice in about one item in ` +
        `${Math.round(1 / middle.chance)}, and the shortest in as many.`,
      figures: lengthFigures(middle, byMiddle),
    })
  return { findings, measures }
}

/** Whether the longest choice of a multiple-response item is a key more, or less, often than chance. */
function multipleLengthFindings(multiple: readonly LintItem[]): { findings: BankFinding[]; measures: BankMeasure[] } {
  const findings: BankFinding[] = []
  const longest = lengthBet(multiple, 'longest')
  const often = measure('key_often_includes_longest', longest)
  // The same bet the other way round: a longest choice that is seldom a key can be struck out.
  const rarely = measure('key_rarely_includes_longest', longest, true)
  const rate =
    `the longest choice is a key ${percent(longest.share)} of the time ` + `where chance is ${percent(longest.chance)}`
  if (often.flagged)
    findings.push({
      code: often.code,
      severity: 'error',
      message:
        `The key includes the unique longest choice in ${longest.unique} of ${longest.items} multiple-response ` +
        `items: ${rate}. Bring it to ${percent(often.threshold)} or less: write some long distractors.`,
      figures: lengthFigures(longest, often),
    })
  if (rarely.flagged)
    findings.push({
      code: rarely.code,
      severity: 'error',
      message:
        `In ${longest.items} multiple-response items ${rate}, so a candidate can strike it out. Bring it to ` +
        `${percent(rarely.threshold)} or more: let some keys be the longest choice.`,
      figures: lengthFigures(longest, rarely),
    })
  return { findings, measures: [often, rarely] }
}

/**
 * Position in the authored order, on single-choice items. The expected count at a position sums 1/k over
 * the items that have that position; the position furthest above it is reported.
 */
function positionFindings(single: readonly LintItem[]): { findings: BankFinding[]; measures: BankMeasure[] } {
  const n = single.length
  const positions = Math.max(...single.map((i) => i.choices.length))
  const worst = Array.from({ length: positions }, (_, p) => {
    const has = single.filter((i) => i.choices.length > p)
    const hits = has.filter((i) => i.key.includes(i.choices[p]!.id)).length
    const chance = has.reduce((a, i) => a + 1 / i.choices.length, 0) / n
    return { position: p, hits, share: hits / n, chance }
  }).reduce((a, b) => (b.share - b.chance > a.share - a.chance ? b : a))
  const threshold = worst.chance + POSITION_MARGIN
  const m: BankMeasure = {
    code: 'key_position_skewed',
    items: n,
    share: worst.share,
    chance: worst.chance,
    threshold,
    flagged: worst.share > threshold + EPSILON,
  }
  const findings: BankFinding[] = m.flagged
    ? [
        {
          code: m.code,
          severity: 'warning',
          message:
            `Choice ${letter(worst.position)} is the key in ${worst.hits} of ${n} single-choice items ` +
            `(${percent(worst.share)} where chance is ${percent(worst.chance)}). Forms shuffle choices, but any ` +
            `view in authored order (a printout, an export, a form with shuffling off) gives it away: ` +
            `move keys to other positions.`,
          figures: {
            items: n,
            position: worst.position + 1,
            hits: worst.hits,
            share: worst.share,
            chance: worst.chance,
            threshold,
          },
        },
      ]
    : []
  return { findings, measures: [m] }
}

function bankFindings(items: readonly LintItem[]): { findings: BankFinding[]; measures: BankMeasure[] } {
  const usable = items.filter((i) => i.choices.length >= 2 && i.key.length > 0)
  const single = usable.filter((i) => i.kind === 'single')
  const multiple = usable.filter((i) => i.kind === 'multiple')
  const parts = [
    ...(single.length ? [singleLengthFindings(single)] : []),
    ...(multiple.length ? [multipleLengthFindings(multiple)] : []),
    ...(single.length ? [positionFindings(single)] : []),
  ]
  return { findings: parts.flatMap((p) => p.findings), measures: parts.flatMap((p) => p.measures) }
}

// Options whose meaning depends on the others, which a shuffled form scatters: "all of the above",
// "none of these", "both A and B", "a and c", a bare "Both" or "Neither".
const REFERS_TO_OTHERS = [
  /\b(all|none|any|both|neither|either)\s+of\s+(the\s+)?(above|below|previous|preceding|others?|these|those|them)\b/i,
  /\b(both|neither|either)\s+\(?[a-h1-8]\)?\s+(and|nor|or)\s+\(?[a-h1-8]\)?(?![\w-])/i,
  /^\s*\(?[a-h]\)?(\s*[,&]\s*\(?[a-h]\)?|\s+(and|or)\s+\(?[a-h]\)?)+\s*$/i,
  /\b(answers?|options?|choices?)\s+\(?[a-h1-8]\)?\s*(,|and|or|&)\s*\(?[a-h1-8]\)?(?![\w-])/i,
  /^\s*(all|none|both|neither)\.?\s*$/i,
]

// Absolute words: testwise candidates strike out a choice that says "never" or "only".
const ABSOLUTE = /\b(always|never|only|nothing|nowhere|every|entirely|impossible)\b/i

/** The findings of one item on its own, whatever the rest of the bank. */
export function lintItem(item: LintItem): ItemFinding[] {
  const findings: ItemFinding[] = []
  const k = item.choices.length
  if (k < MIN_CHOICES)
    findings.push({
      code: 'too_few_choices',
      severity: 'error',
      message:
        `Only ${k} choice${k === 1 ? '' : 's'}: a blind guess is right ${percent(1 / Math.max(k, 1))} of the ` +
        `time. Add plausible distractors (at least ${MIN_CHOICES} choices).`,
      figures: { choices: k, minimum: MIN_CHOICES },
    })

  const seen = new Map<string, number>()
  item.choices.forEach((c, i) => {
    const text = normalize(c.text).toLowerCase()
    const first = seen.get(text)
    if (first === undefined) seen.set(text, i)
    else
      findings.push({
        code: 'duplicate_choices',
        severity: 'error',
        message:
          `Choices ${letter(first)} and ${letter(i)} say the same thing ("${normalize(c.text)}"): ` +
          `make every choice distinct.`,
        figures: { first: first + 1, second: i + 1 },
      })
  })

  item.choices.forEach((c, i) => {
    if (REFERS_TO_OTHERS.some((re) => re.test(c.text)))
      findings.push({
        code: 'choice_refers_to_others',
        severity: 'error',
        message:
          `Choice ${letter(i)} ("${normalize(c.text)}") refers to the other choices, which every form ` +
          `shuffles, and testwise candidates pick such options: replace it with a statement that stands alone ` +
          `(for several right answers, make the item multiple response).`,
        figures: { position: i + 1 },
      })
  })

  const distractors = item.choices.filter((c) => !item.key.includes(c.id))
  if (distractors.length) {
    const longestDistractor = Math.max(...distractors.map((c) => lengthOf(c.text)))
    item.choices.forEach((c, i) => {
      if (!item.key.includes(c.id)) return
      const length = lengthOf(c.text)
      if (length > KEY_LENGTH_RATIO * longestDistractor)
        findings.push({
          code: 'key_much_longer',
          severity: 'error',
          message:
            `The key, choice ${letter(i)}, is ${length} characters where the longest distractor is ` +
            `${longestDistractor}: the length alone gives it away. Write distractors as precise as the key, ` +
            `or say the key in fewer words.`,
          figures: { position: i + 1, keyLength: length, longestDistractor, ratio: length / longestDistractor },
        })
    })

    const absolute = item.choices.flatMap((c, i) => {
      const word = ABSOLUTE.exec(c.text)?.[0]
      return word ? [{ position: i, word, key: item.key.includes(c.id) }] : []
    })
    if (absolute.length && !absolute.some((a) => a.key))
      findings.push({
        code: 'absolute_distractor',
        severity: 'warning',
        message:
          `Absolute words appear in distractors and never in the key ` +
          `(${absolute.map((a) => `${letter(a.position)}: "${a.word}"`).join(', ')}), and testwise candidates ` +
          `strike such choices out: make each distractor wrong by what it says.`,
        figures: { distractors: absolute.length },
      })
  }
  return findings
}

/** The bank's findings, then each item's. Pass the items forms draw (live, not retired). */
export function lintItemBank(items: readonly LintItem[]): ItemBankLint {
  const { findings, measures } = bankFindings(items)
  return {
    bank: findings,
    items: items.flatMap((item) => {
      const own = lintItem(item)
      return own.length ? [{ itemId: item.id, findings: own }] : []
    }),
    measures,
  }
}
