export interface ScoredItem {
  domain: string
  key: readonly string[]
  answer: readonly string[]
}

export interface AttemptScore {
  correct: number
  total: number
  /** Whole per cent, rounded down: what the candidate sees. */
  percent: number
  passed: boolean
  perItem: boolean[]
  domains: Record<string, { correct: number; total: number }>
}

/** An item counts when the chosen set is exactly the key (no partial credit for multiple response). */
export const isCorrect = (key: readonly string[], answer: readonly string[]) =>
  key.length === answer.length && key.every((k) => answer.includes(k))

/** The score, decided in integers: passed when correct × 100 ≥ pass mark × total. */
export function scoreAttempt(items: readonly ScoredItem[], passPercent: number): AttemptScore {
  const perItem = items.map((i) => isCorrect(i.key, i.answer))
  const domains: AttemptScore['domains'] = {}
  items.forEach((i, n) => {
    const d = (domains[i.domain] ??= { correct: 0, total: 0 })
    d.total++
    if (perItem[n]) d.correct++
  })
  const correct = perItem.filter(Boolean).length
  const total = items.length
  return {
    correct,
    total,
    percent: total ? Math.floor((correct * 100) / total) : 0,
    passed: total > 0 && correct * 100 >= passPercent * total,
    perItem,
    domains,
  }
}
