import { BarChart } from '#app/components/charts.tsx'
import { Card } from '#app/components/ui.tsx'
import type { Table } from '#services/finance/finance-reports.ts'

export interface CoverageBar {
  label: string
  value: number
  text: string
  flagged: boolean
}

const columns = ['partner', 'contract', 'guaranteed_minor', 'forecast_royalties_minor', 'months_reported'] as const

/**
 * The minimum-guarantee coverage table as bars (loader side): each contract's forecast royalties for
 * its contract year as a share of the guarantee, so the ones heading for a shortfall stand out. Read
 * by column name from the same table finance sees and exports; null (no chart, the table stays) if
 * the table no longer has one of them, rather than a failed page.
 */
export function coverageBars(t: Table): CoverageBar[] | null {
  if (columns.some((c) => !t.columns.includes(c))) return null
  const cell = (r: Table['rows'][number], c: (typeof columns)[number]) => r[t.columns.indexOf(c)] ?? 0
  return t.rows.map((r) => {
    const guaranteed = BigInt(cell(r, 'guaranteed_minor'))
    const forecast = BigInt(cell(r, 'forecast_royalties_minor'))
    const share = guaranteed > 0n ? Number((forecast * 1000n) / guaranteed) / 10 : 0
    return {
      label: `${cell(r, 'partner')} · ${cell(r, 'contract')}`,
      value: share,
      text: Number(cell(r, 'months_reported')) > 0 ? `${Math.round(share)}%` : 'no report yet',
      flagged: share < 100,
    }
  })
}

export function GuaranteeCoverageChart({ bars }: { bars: CoverageBar[] }) {
  return (
    <Card title="Minimum guarantees: forecast coverage">
      <BarChart
        title="Forecast royalties of each contract year as a share of its minimum guarantee"
        summary={`${bars.filter((b) => b.flagged).length} of ${bars.length} forecast below their guarantee.`}
        category="Partner · contract"
        axis={{ label: 'Forecast royalties (% of the guarantee)', format: (v) => `${v}%` }}
        bars={bars}
        references={[{ value: 100, label: '100% of guarantee' }]}
      />
      <p className="hint">
        Forecast: what the contract year has earned so far, at the same pace for its remaining months. Red bars are
        forecast short of the guarantee; the table above has the amounts.
      </p>
    </Card>
  )
}
