import { describe, expect, it } from 'vitest'
import { versionOnDay, versionsInForce, type VersionRef } from './versions-in-force.ts'

const v = (id: string, version: number, effectiveFrom: string, state = 'signed'): VersionRef => ({
  id,
  version,
  effectiveFrom,
  state,
})

describe('the version in force for a period', () => {
  const history = [
    v('v1', 1, '2027-01-01'),
    v('v2', 2, '2027-05-15'),
    v('v3', 3, '2027-10-01', 'draft'),
    v('v4', 4, '2028-01-01'),
    v('v5', 5, '2028-01-01'),
  ]

  it.each([
    [
      'a quarter inside version 1',
      '2027-01-01',
      '2027-04-01',
      [{ versionId: 'v1', from: '2027-01-01', to: '2027-04-01' }],
    ],
    [
      'a quarter split by an amendment',
      '2027-04-01',
      '2027-07-01',
      [
        { versionId: 'v1', from: '2027-04-01', to: '2027-05-15' },
        { versionId: 'v2', from: '2027-05-15', to: '2027-07-01' },
      ],
    ],
    [
      'a quarter where only a draft would change things',
      '2027-10-01',
      '2028-01-01',
      [{ versionId: 'v2', from: '2027-10-01', to: '2028-01-01' }],
    ],
    [
      'two versions effective the same day: the later wins',
      '2028-01-01',
      '2028-04-01',
      [{ versionId: 'v5', from: '2028-01-01', to: '2028-04-01' }],
    ],
    [
      'a period before the contract',
      '2026-12-01',
      '2027-01-15',
      [
        { versionId: null, from: '2026-12-01', to: '2027-01-01' },
        { versionId: 'v1', from: '2027-01-01', to: '2027-01-15' },
      ],
    ],
  ])('%s', (_, from, to, expected) => {
    expect(versionsInForce(history, from, to)).toEqual(expected)
  })

  it('finds the version on a day, and none before the first', () => {
    expect(versionOnDay(history, '2027-05-14')).toBe('v1')
    expect(versionOnDay(history, '2027-05-15')).toBe('v2')
    expect(versionOnDay(history, '2026-12-31')).toBeNull()
    expect(versionOnDay([], '2027-01-01')).toBeNull()
  })
})
