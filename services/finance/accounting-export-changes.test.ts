import { describe, expect, it } from 'vitest'
import { describeChanges, exportChanges, type ExportManifest } from './accounting-export-changes.ts'

const base: ExportManifest = {
  entries: [
    { id: 'e1', journalNo: 'GGML-1', digest: 'a' },
    { id: 'e2', journalNo: 'GGML-2', digest: 'b' },
  ],
  corrections: [],
  mapping: { cash: { code: '1000', name: 'Bank' } },
  totals: [{ currency: 'USD', debitsMinor: '100', creditsMinor: '100' }],
  files: [{ name: 'f.csv', sha256: 'h1' }],
}
const reversal = {
  id: 'e9',
  journalNo: 'GGML-9',
  date: '2027-04-03',
  description: 'Restated',
  partner: 'Acme',
  currency: 'USD',
  amountMinor: '100',
  reason: 'reverses GGML-2',
}

describe('what changed between two exports of a month (issue 32)', () => {
  it('the first export lists the corrections already posted later', () => {
    const c = exportChanges(null, { ...base, corrections: [reversal] })
    expect(c.previousExportId).toBeNull()
    expect(c.newCorrections.map((k) => k.journalNo)).toEqual(['GGML-9'])
    expect(describeChanges(c)[0]).toBe('First export of this month.')
  })

  it('an export of an unchanged month is identical and says so', () => {
    const c = exportChanges({ id: 'x1', manifest: base }, base)
    expect(c).toMatchObject({ identical: true, added: [], removed: [], altered: [], remapped: [], newCorrections: [] })
    expect(describeChanges(c)).toEqual(['Files identical to the previous export, byte for byte.'])
  })

  it('names a correction posted since, a remapped account, and entries added, gone or altered', () => {
    const now: ExportManifest = {
      ...base,
      entries: [
        { id: 'e2', journalNo: 'GGML-2', digest: 'B' },
        { id: 'e3', journalNo: 'GGML-3', digest: 'c' },
      ],
      corrections: [reversal],
      mapping: { cash: { code: '1010', name: 'Bank' } },
      files: [{ name: 'f.csv', sha256: 'h2' }],
    }
    const c = exportChanges({ id: 'x1', manifest: base }, now)
    expect(c).toMatchObject({ identical: false, added: ['GGML-3'], removed: ['GGML-1'], altered: ['GGML-2'] })
    expect(c.remapped).toEqual([
      { account: 'cash', from: { code: '1000', name: 'Bank' }, to: { code: '1010', name: 'Bank' } },
    ])
    expect(describeChanges(c)).toContain('Posted since: GGML-9 on 2027-04-03, Restated (Acme), reverses GGML-2.')
    // Seen once, a correction is not news the next time.
    expect(exportChanges({ id: 'x2', manifest: now }, now).newCorrections).toEqual([])
  })
})
