import { describe, expect, it } from 'vitest'
import { scoreAttempt } from './score-attempt.ts'

describe('scoring an attempt', () => {
  it('counts an item only when the chosen set is exactly the key, and passes on whole numbers', () => {
    const s = scoreAttempt(
      [
        { domain: 'gguf', key: ['a'], answer: ['a'] },
        { domain: 'gguf', key: ['a', 'c'], answer: ['a'] },
        { domain: 'gguf', key: ['a', 'c'], answer: ['c', 'a'] },
        { domain: 'backends', key: ['b'], answer: [] },
        { domain: 'backends', key: ['b'], answer: ['b', 'a'] },
      ],
      60,
    )
    expect(s).toMatchObject({
      correct: 2,
      total: 5,
      percent: 40,
      passed: false,
      perItem: [true, false, true, false, false],
    })
    expect(s.domains).toEqual({ gguf: { correct: 2, total: 3 }, backends: { correct: 0, total: 2 } })
  })

  it('passes exactly at the pass mark (7 of 10 at 70%), not a hair below (20 of 29 at 70%)', () => {
    const items = (n: number, right: number) =>
      Array.from({ length: n }, (_, i) => ({ domain: 'd', key: ['a'], answer: i < right ? ['a'] : ['b'] }))
    expect(scoreAttempt(items(10, 7), 70).passed).toBe(true)
    expect(scoreAttempt(items(29, 20), 70).passed).toBe(false)
  })
})
