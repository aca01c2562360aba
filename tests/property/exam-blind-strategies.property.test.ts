import { describe, expect, it } from 'vitest'
import { demoItemBank } from '../../seeds/demo-exam-items.ts'
import { assembleForm, type BankItem } from '../../services/training/assemble-form.ts'
import { choiceIdOf, choiceValue } from '../../services/training/choice-values.ts'
import { scoreAttempt } from '../../services/training/score-attempt.ts'
import { seededRandom } from '../../services/training/seeded-random.ts'

// Issue 26: a candidate who knows nothing must score at chance. A thousand simulated candidates per
// blind strategy take the demo exam through the code a real attempt runs: the form assembler (items
// and choice order), the values the page shows (choice-values.ts), the mapping a saved answer goes
// through, and the scorer. Seeds are fixed, so the run is the same every time.
//
// The bound. A form has 20 items and passes at 70% (14). If every item gave a blind strategy at most
// p = 0.35 (chance for four choices, 0.25, plus the bank lint's 10-point margin), P(X ≥ 14) for
// X ~ Bin(20, 0.35) is 1.5e-3, so 1,000 candidates pass ~1.5 times on average and more than 10 with
// probability below 1e-5. At chance itself (0.25), P(X ≥ 14) = 2.4e-5. Each strategy must stay under
// both: at most 10 passes in 1,000, and a mean per-item score within 0.35.

const CANDIDATES = 1000
const PASS_PERCENT = 70
const BLUEPRINT = Object.fromEntries(Object.keys(demoItemBank).map((d) => [d, 4]))

interface Item {
  itemId: string
  domain: string
  texts: Map<string, string>
  key: string[]
}
const items: Item[] = Object.entries(demoItemBank).flatMap(([domain, list]) =>
  list.map(([, texts, key], n) => {
    const ids = texts.map((_, i) => String.fromCharCode(97 + i))
    return {
      itemId: `${domain}-${n}`,
      domain,
      texts: new Map(ids.map((id, i) => [id, texts[i]!])),
      key: key.map((k) => ids[k - 1]!),
    }
  }),
)
const byId = new Map(items.map((i) => [i.itemId, i]))
const bank: BankItem[] = items.map((i) => ({
  itemId: i.itemId,
  versionId: i.itemId,
  domain: i.domain,
  exposureCount: 0,
  choiceIds: [...i.texts.keys()],
}))

/** What the candidate's page shows for one question: values and texts in the candidate's order. */
type Shown = { position: number; choices: { value: string; text: string }[] }
type Strategy = (q: Shown, random: () => number, previous: Map<number, string> | undefined) => string[]

const strategies: Record<string, Strategy> = {
  'always the first choice shown': (q) => [q.choices[0]!.value],
  'always the same value ("a")': () => ['a'],
  'always the longest choice': (q) => [[...q.choices].sort((x, y) => y.text.length - x.text.length)[0]!.value],
  'always the shortest choice': (q) => [[...q.choices].sort((x, y) => x.text.length - y.text.length)[0]!.value],
  'uniformly random': (q, random) => [q.choices[Math.floor(random() * q.choices.length)]!.value],
  "replaying another candidate's values": (q, _r, previous) =>
    previous?.has(q.position) ? [previous.get(q.position)!] : [],
}

function simulate(strategy: Strategy, name: string) {
  let passes = 0
  let correctItems = 0
  let totalItems = 0
  let previous: Map<number, string> | undefined
  for (let n = 0; n < CANDIDATES; n++) {
    const attemptId = `blind-${name}-${n}`
    const random = seededRandom(`strategy:${attemptId}`)
    const form = assembleForm({
      seed: `form:${attemptId}`,
      bank,
      policy: { blueprint: BLUEPRINT, maxExposurePercent: 100, maxOverlapPercent: 25 },
      formsAssembled: 0,
      seenItemIds: new Set(),
    })
    const submitted = new Map<number, string>()
    const scored = form.map((f, position) => {
      const item = byId.get(f.itemId)!
      const shown: Shown = {
        position,
        choices: f.choiceOrder.map((id) => ({
          value: choiceValue(attemptId, position, id),
          text: item.texts.get(id)!,
        })),
      }
      const values = strategy(shown, random, previous)
      if (values[0]) submitted.set(position, values[0])
      // As saveAnswer does: a value that is not one of this question's saves nothing.
      const answer = values.map((v) => choiceIdOf(attemptId, position, f.choiceOrder, v))
      return { domain: item.domain, key: item.key, answer: answer.includes(null) ? [] : (answer as string[]) }
    })
    previous = submitted
    const score = scoreAttempt(scored, PASS_PERCENT)
    if (score.passed) passes++
    correctItems += score.correct
    totalItems += score.total
  }
  return { passes, meanItemScore: correctItems / totalItems }
}

describe('blind strategies on the demo exam score at chance (issue 26)', () => {
  it.each(Object.keys(strategies))('%s', (name) => {
    const { passes, meanItemScore } = simulate(strategies[name]!, name)
    expect(passes, `${name}: ${passes} of ${CANDIDATES} passed`).toBeLessThanOrEqual(10)
    expect(meanItemScore, `${name}: mean item score ${meanItemScore.toFixed(3)}`).toBeLessThanOrEqual(0.35)
  })
})
