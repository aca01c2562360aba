import { describe, expect, it } from 'vitest'
import { lastFullMonth, reportPresets, reportRange } from './report-range.ts'

describe('the range a services report covers (issue 29)', () => {
  it('opens on the last full month, not an empty month to date', () => {
    expect(reportRange({}, '2026-12-07')).toEqual({ from: '2026-11-01', to: '2026-11-30' })
    expect(reportRange({}, '2027-01-01')).toEqual({ from: '2026-12-01', to: '2026-12-31' })
    expect(lastFullMonth('2028-03-31')).toEqual({ from: '2028-02-01', to: '2028-02-29' })
  })

  it('offers last month, last quarter and the year to date', () => {
    expect(reportPresets('2026-12-07').map((p) => [p.label, p.range.from, p.range.to])).toEqual([
      ['Last month', '2026-11-01', '2026-11-30'],
      ['Last quarter', '2026-07-01', '2026-09-30'],
      ['Year to date', '2026-01-01', '2026-12-07'],
    ])
    expect(reportPresets('2027-02-15')[1]!.range).toEqual({ from: '2026-10-01', to: '2026-12-31' })
  })

  it('keeps a range as given, and fills one missing end as before', () => {
    expect(reportRange({ from: '2026-10-01', to: '2026-10-15' }, '2026-12-07')).toEqual({
      from: '2026-10-01',
      to: '2026-10-15',
    })
    expect(reportRange({ to: '2026-10-15' }, '2026-12-07')).toEqual({ from: '2026-10-01', to: '2026-10-15' })
    expect(reportRange({ from: '2026-12-01' }, '2026-12-07')).toEqual({ from: '2026-12-01', to: '2026-12-07' })
  })

  it('refuses a reversed, malformed or too long range with a clear message', () => {
    expect(() => reportRange({ from: '2026-12-02', to: '2026-12-01' }, '2026-12-07')).toThrow('Check the dates.')
    expect(() => reportRange({ from: 'yesterday' }, '2026-12-07')).toThrow('Check the dates.')
    expect(() => reportRange({ from: '2020-01-01', to: '2026-12-01' }, '2026-12-07')).toThrow('Check the dates.')
  })
})
