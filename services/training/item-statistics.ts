/**
 * Classical item analysis on first attempts. Forms differ per candidate, so each statistic uses the
 * attempts whose form held the item; reliability is KR-20 with the expected Σpq of a form (the same
 * as the textbook formula when every candidate saw the same items).
 */
export interface Response {
  itemId: string
  correct: boolean
  answer: readonly string[]
}

export interface AttemptResponses {
  responses: readonly Response[]
}

export interface ItemStatistics {
  itemId: string
  n: number
  /** Share answering correctly (p). */
  facility: number
  /** Pearson correlation of the item with the rest of the form (total minus this item); null when undefined. */
  discrimination: number | null
  /** Share of respondents choosing each choice. */
  choiceRates: Record<string, number>
  flags: string[]
}

export const MIN_RESPONSES_FOR_FLAGS = 5
/** Facility outside these bounds flags an item too hard or too easy (the item map draws them). */
export const FACILITY_TOO_HARD_BELOW = 0.3
export const FACILITY_TOO_EASY_ABOVE = 0.9

/**
 * Below this many first attempts the statistics are noise and the page says so (issue 29: KR-20 0.97
 * on 7 attempts read as "good"). A correlation's standard error is about 1/√n: 0.38 at 7 attempts,
 * 0.18 at 30, as wide as the 0.2 that separates a useful item from a useless one; a proportion's is
 * up to 0.19 at 7. Thirty is the usual floor for classical item analysis; a hundred or more is better.
 */
export const MIN_ATTEMPTS_FOR_STABLE_STATISTICS = 30

/** The warning shown beside reliability and item statistics computed on too few attempts, or null. */
export function smallSampleWarning(attempts: number): string | null {
  if (attempts >= MIN_ATTEMPTS_FOR_STABLE_STATISTICS) return null
  return (
    `Only ${attempts} first attempt${attempts === 1 ? '' : 's'}: reliability (KR-20), facility and ` +
    `discrimination swing widely under ${MIN_ATTEMPTS_FOR_STABLE_STATISTICS} attempts. ` +
    'Read them as provisional and do not retire or rewrite an item on them alone.'
  )
}

function pearson(xs: number[], ys: number[]): number | null {
  const n = xs.length
  if (n < 2) return null
  const mx = xs.reduce((a, b) => a + b, 0) / n
  const my = ys.reduce((a, b) => a + b, 0) / n
  let sxy = 0
  let sxx = 0
  let syy = 0
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my)
    sxx += (xs[i]! - mx) ** 2
    syy += (ys[i]! - my) ** 2
  }
  return sxx === 0 || syy === 0 ? null : sxy / Math.sqrt(sxx * syy)
}

export function itemStatistics(attempts: readonly AttemptResponses[]): {
  items: ItemStatistics[]
  kr20: number | null
  attempts: number
} {
  const totals = attempts.map((a) => a.responses.filter((r) => r.correct).length)
  const byItem = new Map<string, { x: number[]; rest: number[]; answers: (readonly string[])[] }>()
  attempts.forEach((a, n) => {
    for (const r of a.responses) {
      const s = byItem.get(r.itemId) ?? { x: [], rest: [], answers: [] }
      s.x.push(r.correct ? 1 : 0)
      s.rest.push(totals[n]! - (r.correct ? 1 : 0))
      s.answers.push(r.answer)
      byItem.set(r.itemId, s)
    }
  })
  const items: ItemStatistics[] = [...byItem.entries()].map(([itemId, s]) => {
    const n = s.x.length
    const facility = s.x.reduce((a, b) => a + b, 0) / n
    const discrimination = pearson(s.x, s.rest)
    const choiceRates: Record<string, number> = {}
    for (const ans of s.answers) for (const c of ans) choiceRates[c] = (choiceRates[c] ?? 0) + 1
    for (const c of Object.keys(choiceRates)) choiceRates[c]! /= n
    const flags: string[] = []
    if (n >= MIN_RESPONSES_FOR_FLAGS) {
      if (facility > FACILITY_TOO_EASY_ABOVE) flags.push('too easy')
      if (facility < FACILITY_TOO_HARD_BELOW) flags.push('too hard')
      if (discrimination !== null && discrimination < 0) flags.push('discriminates negatively')
    }
    return { itemId, n, facility, discrimination, choiceRates, flags }
  })
  const p = new Map(items.map((i) => [i.itemId, i.facility]))
  let kr20: number | null = null
  const k = attempts.length ? attempts[0]!.responses.length : 0
  if (attempts.length >= 2 && k >= 2) {
    const mean = totals.reduce((a, b) => a + b, 0) / totals.length
    const variance = totals.reduce((a, t) => a + (t - mean) ** 2, 0) / totals.length
    const expectedPq =
      attempts.reduce(
        (a, att) => a + att.responses.reduce((b, r) => b + p.get(r.itemId)! * (1 - p.get(r.itemId)!), 0),
        0,
      ) / attempts.length
    if (variance > 0) kr20 = (k / (k - 1)) * (1 - expectedPq / variance)
  }
  items.sort((a, b) => a.itemId.localeCompare(b.itemId))
  return { items, kr20, attempts: attempts.length }
}
