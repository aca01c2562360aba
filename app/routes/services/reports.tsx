import { Form } from 'react-router'
import { type Columns, DataTable, withHint } from '#app/components/data-table.tsx'
import type { Route } from './+types/reports'
import { BarChart } from '#app/components/charts.tsx'
import { Button, Card, EmptyState, PageHeader } from '#app/components/ui.tsx'
import { rethrowAsResponse } from '#app/lib/forms.server.ts'
import { requireStaff } from '#app/lib/session.server.ts'
import type { BudgetStatus } from '#services/engagements/budget-status.ts'
import { reportPresets, reportRange } from '#services/engagements/report-range.ts'
import { margins, utilization } from '#services/engagements/services-reports.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Utilization and margin · GGML Platform' }]

export async function loader({ context, request }: Route.LoaderArgs) {
  const actor = requireStaff(context, request, 'services.view')
  const q = new URL(request.url).searchParams
  let range
  try {
    range = reportRange({ from: q.get('from') || undefined, to: q.get('to') || undefined })
  } catch (e) {
    rethrowAsResponse(e)
  }
  const [people, engagements] = await Promise.all([utilization(actor, range), margins(actor, range)])
  return {
    range,
    presets: reportPresets().map((p) => ({ ...p, href: `?from=${p.range.from}&to=${p.range.to}` })),
    people,
    engagements: engagements.map(({ revenueMinor, costMinor, marginMinor, ...e }) => ({
      ...e,
      hasRevenue: revenueMinor > 0n || costMinor > 0n || marginMinor !== 0n,
    })),
  }
}

/** 286.4 → "286%": a share of a budget or capacity as people read it. */
const percent = (x: number) => `${x.toLocaleString('en-US', { maximumFractionDigits: 0 })}%`

const budgetFlags: Partial<Record<BudgetStatus, string>> = { over: 'Over budget', forecast_over: 'Heading over budget' }
const flagOf = (status: BudgetStatus) => budgetFlags[status] ?? null

/** Last month, last quarter, year to date as links (the range stays in the URL), or any two dates. */
function RangePicker({ range, presets }: Pick<Route.ComponentProps['loaderData'], 'range' | 'presets'>) {
  return (
    <Card>
      <nav aria-label="Report range">
        <ul className="presets">
          {presets.map((p) => {
            const current = p.range.from === range.from && p.range.to === range.to
            return (
              <li key={p.key}>
                <a href={p.href} aria-current={current ? 'true' : undefined}>
                  {p.label}
                </a>{' '}
                <span className="hint">
                  ({p.range.from} to {p.range.to})
                </span>
              </li>
            )
          })}
        </ul>
      </nav>
      <Form method="get" className="row">
        <label>
          From <input type="date" name="from" defaultValue={range.from} />
        </label>
        <label>
          To <input type="date" name="to" defaultValue={range.to} />
        </label>
        <Button variant="secondary">Show</Button>
      </Form>
    </Card>
  )
}

const utilizationColumns: Columns<Route.ComponentProps['loaderData']['people'][number]> = [
  { header: 'Consultant', cell: (p) => p.person },
  { header: 'Billable hours', numeric: true, cell: (p) => p.billableHours },
  { header: 'Capacity', numeric: true, cell: (p) => p.capacityHours },
  { header: 'Utilization', numeric: true, cell: (p) => `${p.utilization}%` },
  { header: 'Submitted, not approved', numeric: true, cell: (p) => p.submittedHours },
]

const marginColumns: Columns<Route.ComponentProps['loaderData']['engagements'][number]> = [
  {
    header: 'Engagement',
    cell: (e) =>
      withHint(
        <a href={`/services/engagements/${e.id}`}>{e.engagement}</a>,
        `${e.customer} · ${e.type.replaceAll('_', ' ')}`,
      ),
  },
  { header: 'Hours', numeric: true, cell: (e) => e.hours },
  { header: 'Revenue', numeric: true, cell: (e) => e.revenue },
  { header: 'Cost', numeric: true, cell: (e) => e.cost },
  { header: 'Margin', numeric: true, cell: (e) => `${e.margin} (${e.marginPct}%)` },
  { header: 'Estimate at completion', numeric: true, cell: (e) => <EstimateAtCompletion engagement={e} /> },
]

/** The estimate against the hours budget, flagged when over or heading over. */
function EstimateAtCompletion({
  engagement: e,
}: {
  engagement: Route.ComponentProps['loaderData']['engagements'][number]
}) {
  const flag = flagOf(e.budget)
  if (e.budgetHours <= 0) return `${e.eacHours} h (no hours budget)`
  return (
    <>
      {e.eacHours} h of {e.budgetHours} h:{' '}
      <strong className={flag ? 'flag-over' : undefined}>{percent(e.eacPct)}</strong>
      {flag && <div className="flag-over">⚠ {flag}</div>}
    </>
  )
}

export default function Reports({ loaderData: d }: Route.ComponentProps) {
  const q = `from=${d.range.from}&to=${d.range.to}`
  const budgeted = d.engagements.filter((e) => e.budgetHours > 0)
  const withRevenue = d.engagements.filter((e) => e.hasRevenue)
  const flagged = budgeted.filter((e) => flagOf(e.budget)).length
  return (
    <>
      <PageHeader
        title="Utilization and margin"
        subtitle={`${d.range.from} to ${d.range.to}: approved time only; capacity is 8 hours a weekday.`}
      />
      <RangePicker range={d.range} presets={d.presets} />
      <Card title="Utilization per consultant">
        {d.people.length === 0 ? (
          <EmptyState>No consultants.</EmptyState>
        ) : (
          <>
            <BarChart
              title={`Utilization per consultant, ${d.range.from} to ${d.range.to}`}
              category="Consultant"
              axis={{ label: 'Utilization (% of capacity)', format: (v) => `${v}%` }}
              bars={d.people.map((p) => ({ label: p.person, value: p.utilization, text: percent(p.utilization) }))}
              references={[{ value: 100, label: '100% capacity' }]}
            />
            <DataTable rows={d.people} rowKey={(p) => p.userId} columns={utilizationColumns} />
          </>
        )}
        <a href={`/services/reports.csv?kind=utilization&${q}`}>Download CSV</a>
      </Card>
      <Card title="Margin per engagement">
        {d.engagements.length === 0 ? (
          <EmptyState>No engagements.</EmptyState>
        ) : (
          <>
            {withRevenue.length > 0 && (
              <BarChart
                title={`Margin per engagement, ${d.range.from} to ${d.range.to}`}
                category="Engagement"
                axis={{ label: 'Margin (% of revenue)', format: (v) => `${v}%` }}
                bars={withRevenue.map((e) => ({ label: e.engagement, value: e.marginPct, text: `${e.marginPct}%` }))}
              />
            )}
            {budgeted.length > 0 && (
              <BarChart
                title="Estimate at completion against each engagement’s hours budget"
                summary={`${flagged} of ${budgeted.length} over or heading over.`}
                category="Engagement"
                axis={{ label: 'Estimate at completion (% of budget hours)', format: (v) => `${v}%` }}
                bars={budgeted.map((e) => ({
                  label: e.engagement,
                  value: e.eacPct,
                  text: percent(e.eacPct),
                  flagged: flagOf(e.budget) !== null,
                }))}
                references={[{ value: 100, label: 'budget' }]}
              />
            )}
            <DataTable
              rows={d.engagements}
              columns={marginColumns}
              rowProps={(e) => ({ className: flagOf(e.budget) ? 'over-budget' : undefined, 'data-budget': e.budget })}
            />
          </>
        )}
        <p className="hint">
          Revenue: approved time at its billed rate, or accepted milestones on fixed prices. Cost: approved hours at
          each person’s cost rate. Estimate at completion: all approved hours so far, plus their daily pace over the
          days left; over budget when the hours approved already pass the budget, heading over when the estimate does.
        </p>
        <a href={`/services/reports.csv?kind=margin&${q}`}>Download CSV</a>
      </Card>
    </>
  )
}
