import { describe, expect, it } from 'vitest'
import { coverageBars } from './guarantee-coverage.tsx'

const columns = [
  'partner',
  'contract',
  'currency',
  'contract_year',
  'guaranteed_minor',
  'earned_minor',
  'months_reported',
  'forecast_royalties_minor',
  'forecast_shortfall_minor',
]

describe('minimum-guarantee coverage as bars (issue 29)', () => {
  it('draws each contract year’s forecast as a share of its guarantee, red below 100%', () => {
    const bars = coverageBars({
      columns,
      rows: [
        ['Kestrel', 'C-2026-0007', 'USD', '2026-01-01 to 2026-12-31', 10_000_00n, 2_000_00n, 3, 8_000_00n, 2_000_00n],
        ['Osprey', 'C-2026-0009', 'EUR', '2026-04-01 to 2027-03-31', 5_000_00n, 0n, 0, 0n, 5_000_00n],
        ['Heron', 'C-2026-0011', 'USD', '2026-01-01 to 2026-12-31', 1_000_00n, 900_00n, 6, 1_800_00n, 0n],
      ],
    })
    expect(bars).toEqual([
      { label: 'Kestrel · C-2026-0007', value: 80, text: '80%', flagged: true },
      { label: 'Osprey · C-2026-0009', value: 0, text: 'no report yet', flagged: true },
      { label: 'Heron · C-2026-0011', value: 180, text: '180%', flagged: false },
    ])
  })

  it('leaves the chart out, not the page, when the table lacks a column it reads', () => {
    expect(coverageBars({ columns: ['partner', 'contract'], rows: [['Kestrel', 'C-1']] })).toBeNull()
  })
})
