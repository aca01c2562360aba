import { describe, expect, it } from 'vitest'
import { demoItemBank } from '../../seeds/demo-exam-items.ts'
import { lintItemBank, type LintItem } from './lint-item-bank.ts'

// The demo bank as the seed stores it (seeds/demo-training.ts): choice ids a, b, c… in authored order,
// several keys make a multiple-response item.
const items: LintItem[] = Object.entries(demoItemBank).flatMap(([domain, list]) =>
  list.map(([stem, texts, key]) => ({
    id: `${domain}: ${stem}`,
    domain,
    kind: key.length > 1 ? ('multiple' as const) : ('single' as const),
    choices: texts.map((text, i) => ({ id: String.fromCharCode(97 + i), text })),
    key: key.map((k) => String.fromCharCode(96 + k)),
  })),
)

describe('the demo item bank (issue 26)', () => {
  it('passes its own lint: no bank-level finding and no item-level error', () => {
    const lint = lintItemBank(items)
    expect(lint.bank.map((f) => f.message)).toEqual([])
    const errors = lint.items.flatMap((i) =>
      i.findings.filter((f) => f.severity === 'error').map((f) => `${i.itemId}: ${f.message}`),
    )
    expect(errors).toEqual([])
  })

  it('keeps its shape: 60 items, 12 per domain, every key a real choice', () => {
    expect(Object.values(demoItemBank).map((list) => list.length)).toEqual([12, 12, 12, 12, 12])
    for (const [stem, texts, key] of Object.values(demoItemBank).flat())
      expect(
        key.every((k) => k >= 1 && k <= texts.length),
        stem,
      ).toBe(true)
  })
})
