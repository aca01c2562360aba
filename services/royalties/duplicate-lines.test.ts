import { describe, expect, it } from 'vitest'
import { DuplicateFinder } from './duplicate-lines.ts'

describe('DuplicateFinder', () => {
  it('names each repeat of a model, class, band and region with its first line, across many lines', () => {
    const f = new DuplicateFinder()
    for (let i = 1; i <= 100_000; i++) f.add(i, `M-${i}`, 'smartphone', 'Entry', 'EU')
    f.add(100_001, 'm-17', 'smartphone', 'Entry', 'eu') // model and region compare case-insensitively
    f.add(100_002, 'M-17', 'laptop', 'Entry', 'EU') // another class: not a repeat
    f.add(100_003, 'M-17', 'smartphone', 'Entry', 'EU')
    expect(f.overflowed).toBe(false)
    expect(f.candidates).toEqual([
      [17, 100_001],
      [17, 100_003],
    ])
  })

  it('leaves names with non-ASCII letters to the database, which decides how they fold', () => {
    const f = new DuplicateFinder()
    f.add(1, 'Über-1', 'smartphone', 'Entry', 'EU')
    expect(f.overflowed).toBe(true)
  })
})
