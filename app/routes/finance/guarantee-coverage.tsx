import { BarChart } from '#app/components/charts.tsx'
import { Card } from '#app/components/ui.tsx'
import type { Table } from '#services/finance/finance-reports.ts'

export interface CoverageBar {
  label: string
  value: number
  text: string
  flagged: boolean
}

/**
 * The minimum-guarantee coverage table as bars (loader side): each contract's projected earnings for
 * its guarantee period as a share of the guarantee, so the ones heading for a shortfall stand out.
 */
export function coverageBars(t: Table): CoverageBar[] {
  const at = (name: string) => t.columns.indexOf(name)
  const [partner, contract, guaranteed, projected, months] = [
    'partner',
    'contract',
    'guaranteed_minor',
    'projected_minor',
    'months_reported',
  ].map(at) as [number, number, number, number, number]
  return t.rows.map((r) => {
    const g = BigInt(r[guaranteed]!)
    const share = g > 0n ? Number((BigInt(r[projected]!) * 1000n) / g) / 10 : 0
    return {
      label: `${r[partner]} · ${r[contract]}`,
      value: share,
      text: Number(r[months]) > 0 ? `${Math.round(share)}%` : 'no report yet',
      flagged: share < 100,
    }
  })
}

export function GuaranteeCoverageChart({ bars }: { bars: CoverageBar[] }) {
  return (
    <Card title="Minimum guarantees: projected coverage">
      <BarChart
        title="Projected earnings of each guarantee period as a share of its minimum guarantee"
        summary={`${bars.filter((b) => b.flagged).length} of ${bars.length} projected below their guarantee.`}
        category="Partner · contract"
        axis={{ label: 'Projected earnings (% of the guarantee)', format: (v) => `${v}%` }}
        bars={bars}
        references={[{ value: 100, label: '100% of guarantee' }]}
      />
      <p className="hint">
        Projected: what the period has earned so far, at the same pace for its remaining months. Red bars are projected
        short of the guarantee; the table above has the amounts.
      </p>
    </Card>
  )
}
