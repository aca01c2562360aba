import type { Route } from './+types/dashboard'
import { Form } from 'react-router'
import { Button, Card, EmptyState, PageHeader } from '#app/components/ui.tsx'
import { requireStaff } from '#app/lib/session.server.ts'
import { financeTables, type FinanceTableName, type Table } from '#services/finance/finance-reports.ts'
import type { Currency } from '#services/money/currency.ts'
import { formatMoney, money } from '#services/money/money.ts'
import { readAsOf } from '#app/lib/as-of.server.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Finance · GGML Platform' }]

const titles: Record<FinanceTableName, string> = {
  payments: 'Payments received',
  missing: 'Reports past due',
  revenue: 'Revenue by business line',
  wip: 'Services work in progress (approved, not yet invoiced)',
  royalties: 'Royalties by partner and period',
  guarantees: 'Minimum-guarantee coverage',
  aging: 'Receivables aging (open invoices)',
  units: 'Units by device class and region',
  balances: 'Partner balances',
  'trial-balance': 'Trial balance',
  'training-refunds': 'Training orders refunded (by the learner, or automatically when not fulfilled)',
}

/** The tables that read the books at a date. */
const dated = new Set<FinanceTableName>(['balances', 'trial-balance'])

/** Money columns (…_minor) shown in the row's currency; everything else as text. */
function display(t: Table) {
  const cur = t.columns.indexOf('currency')
  return {
    columns: t.columns.map((c) => c.replace(/_minor$/, '').replaceAll('_', ' ')),
    numeric: t.columns.map(
      (c) => c.endsWith('_minor') || c === 'units' || c === 'months_reported' || c === 'days_late',
    ),
    rows: t.rows.map((r) =>
      r.map((v, i) =>
        t.columns[i]!.endsWith('_minor') && cur >= 0
          ? formatMoney(money(BigInt(v), r[cur] as Currency))
          : typeof v === 'bigint' || typeof v === 'number'
            ? Number(v).toLocaleString('en-US')
            : v,
      ),
    ),
  }
}

export async function loader({ context, request }: Route.LoaderArgs) {
  const actor = requireStaff(context, request, 'finance.view')
  const { asOf, problem } = readAsOf(request)
  const names = Object.keys(titles) as FinanceTableName[]
  const tables = await Promise.all(
    names.map(async (n) => ({
      name: n,
      title: dated.has(n) && asOf ? `${titles[n]} at the end of ${asOf}` : titles[n],
      dated: dated.has(n),
      ...display(await financeTables[n](actor, { asOf })),
    })),
  )
  // The chart: invoiced per period in USD (other currencies are listed in the table, never summed).
  const royalties = await financeTables.royalties(actor)
  const byPeriod = new Map<string, bigint>()
  for (const r of royalties.rows)
    if (r[2] === 'USD') byPeriod.set(r[1] as string, (byPeriod.get(r[1] as string) ?? 0n) + BigInt(r[9]!))
  const chart = [...byPeriod]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([period, v]) => ({ period, minor: v.toString(), label: formatMoney(money(v, 'USD')) }))
  return { tables, chart, asOf, problem }
}

export default function Finance({ loaderData: d }: Route.ComponentProps) {
  const max = d.chart.reduce((m, c) => (BigInt(c.minor) > m ? BigInt(c.minor) : m), 1n)
  return (
    <>
      <PageHeader
        title="Finance"
        subtitle="Royalties, guarantees, receivables and revenue from the ledger. Every table exports as CSV."
      />
      <Card title="Invoiced per reporting period (USD)">
        {d.chart.length === 0 ? (
          <EmptyState>No reports yet.</EmptyState>
        ) : (
          <svg
            className="chart"
            viewBox={`0 0 ${Math.max(d.chart.length * 90, 300)} 220`}
            role="img"
            aria-label={`Invoiced per period: ${d.chart.map((c) => `${c.period} ${c.label}`).join(', ')}`}
          >
            {d.chart.map((c, i) => {
              const h = Number((BigInt(c.minor) * 160n) / max)
              return (
                <g key={c.period} transform={`translate(${i * 90 + 20}, 0)`}>
                  <rect x="0" y={180 - h} width="60" height={h} fill="#0b5cad" />
                  <text x="30" y={174 - h} textAnchor="middle" fontSize="10">
                    {c.label}
                  </text>
                  <text x="30" y="198" textAnchor="middle" fontSize="11">
                    {c.period}
                  </text>
                </g>
              )
            })}
          </svg>
        )}
      </Card>
      <Card title="Books at a date">
        <Form method="get" className="row">
          <div className="field">
            <label htmlFor="asOf">Balances at the end of</label>
            <input id="asOf" name="asOf" type="date" defaultValue={d.asOf ?? ''} aria-invalid={!!d.problem} />
            {d.problem && <p className="field-error">{d.problem}</p>}
          </div>
          <Button type="submit" variant="secondary">
            Show
          </Button>
        </Form>
        <p className="hint">
          Partner balances and the trial balance count postings by their effective date
          {d.asOf ? `, up to ${d.asOf}` : ' (all history now)'}.
        </p>
      </Card>
      {d.tables.map((t) => (
        <Card key={t.name} title={t.title}>
          <p>
            <a href={`/finance/export/${t.name}.csv${t.dated && d.asOf ? `?asOf=${d.asOf}` : ''}`}>Export CSV</a>
          </p>
          {t.rows.length === 0 ? (
            <EmptyState>Nothing yet.</EmptyState>
          ) : (
            <div className="table-scroll">
              <table>
                <thead>
                  <tr>
                    {t.columns.map((c, i) => (
                      <th key={c} scope="col" className={t.numeric[i] ? 'num' : undefined}>
                        {c}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {t.rows.map((r, k) => (
                    <tr key={k}>
                      {r.map((v, i) => (
                        <td key={i} className={t.numeric[i] ? 'num' : undefined}>
                          {String(v)}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Card>
      ))}
    </>
  )
}
