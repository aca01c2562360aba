import { Form } from 'react-router'
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
            <table>
              <thead>
                <tr>
                  <th>Consultant</th>
                  <th>Billable hours</th>
                  <th>Capacity</th>
                  <th>Utilization</th>
                  <th>Submitted, not approved</th>
                </tr>
              </thead>
              <tbody>
                {d.people.map((p) => (
                  <tr key={p.userId}>
                    <td>{p.person}</td>
                    <td className="num">{p.billableHours}</td>
                    <td className="num">{p.capacityHours}</td>
                    <td className="num">{p.utilization}%</td>
                    <td className="num">{p.submittedHours}</td>
                  </tr>
                ))}
              </tbody>
            </table>
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
            <table>
              <thead>
                <tr>
                  <th>Engagement</th>
                  <th>Hours</th>
                  <th>Revenue</th>
                  <th>Cost</th>
                  <th>Margin</th>
                  <th>Estimate at completion</th>
                </tr>
              </thead>
              <tbody>
                {d.engagements.map((e) => (
                  <tr key={e.id}>
                    <td>
                      <a href={`/services/engagements/${e.id}`}>{e.engagement}</a>
                      <div className="hint">
                        {e.customer} · {e.type.replaceAll('_', ' ')}
                      </div>
                    </td>
                    <td className="num">{e.hours}</td>
                    <td className="num">{e.revenue}</td>
                    <td className="num">{e.cost}</td>
                    <td className="num">
                      {e.margin} ({e.marginPct}%)
                    </td>
                    <td className="num">
                      {e.eacHours} h of {e.budgetHours} h ({e.eacPct}%)
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
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
