import { Form } from 'react-router'
import { type Columns, DataTable, withHint } from '#app/components/data-table.tsx'
import type { Route } from './+types/reports'
import { BarChart } from '#app/components/charts.tsx'
import { Button, Card, EmptyState, PageHeader } from '#app/components/ui.tsx'
import { rethrowAsResponse } from '#app/lib/forms.server.ts'
import { requireStaff } from '#app/lib/session.server.ts'
import { margins, reportRange, utilization } from '#services/engagements/services-reports.ts'

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
    people,
    engagements: engagements.map(({ revenueMinor, costMinor, marginMinor, ...e }) => ({
      ...e,
      hasRevenue: revenueMinor > 0n || costMinor > 0n || marginMinor !== 0n,
    })),
  }
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
  {
    header: 'Estimate at completion',
    numeric: true,
    cell: (e) => `${e.eacHours} h of ${e.budgetHours} h (${e.eacPct}%)`,
  },
]

export default function Reports({ loaderData: d }: Route.ComponentProps) {
  const q = `from=${d.range.from}&to=${d.range.to}`
  return (
    <>
      <PageHeader
        title="Utilization and margin"
        subtitle={`${d.range.from} to ${d.range.to}: approved time only; capacity is 8 hours a weekday.`}
      />
      <Card>
        <Form method="get" className="row">
          <label>
            From <input type="date" name="from" defaultValue={d.range.from} />
          </label>
          <label>
            To <input type="date" name="to" defaultValue={d.range.to} />
          </label>
          <Button variant="secondary">Show</Button>
        </Form>
      </Card>
      <Card title="Utilization per consultant">
        {d.people.length === 0 ? (
          <EmptyState>No consultants.</EmptyState>
        ) : (
          <>
            <BarChart
              title="Utilization"
              bars={d.people.map((p) => ({ label: p.person, value: p.utilization, text: `${p.utilization}%` }))}
              reference={{ value: 100, label: 'capacity' }}
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
            <BarChart
              title="Margin"
              bars={d.engagements
                .filter((e) => e.hasRevenue)
                .map((e) => ({ label: e.engagement, value: e.marginPct, text: `${e.marginPct}% (${e.margin})` }))}
            />
            <DataTable rows={d.engagements} columns={marginColumns} />
          </>
        )}
        <p className="hint">
          Revenue: approved time at its billed rate, or accepted milestones on fixed prices. Cost: approved hours at
          each person’s cost rate. Estimate at completion: all approved hours so far, plus their daily pace over the
          days left.
        </p>
        <a href={`/services/reports.csv?kind=margin&${q}`}>Download CSV</a>
      </Card>
    </>
  )
}
