import type { Route } from './+types/engagements'
import { Card, EmptyState, PageHeader } from '#app/components/ui.tsx'
import { requireTenant } from '#app/lib/tenant.server.ts'
import { customerEngagements } from '#services/engagements/engagement-views.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Engagements · GGML Platform' }]

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await requireTenant(context, request, params.orgSlug, 'engagements.view')
  const engagements = (await customerEngagements(scope)).map((e) => ({
    ...e,
    summary:
      `${e.burn.hours} of ${e.burn.budgetHours} approved (${e.burn.hoursShare}%), ` +
      `${e.burn.amount} of ${e.burn.budget}.`,
  }))
  return { organization: scope.organization.name, engagements }
}

export default function Engagements({ loaderData: d }: Route.ComponentProps) {
  return (
    <>
      <PageHeader title="Engagements" subtitle={`${d.organization}: work ggml's services team does for you`} />
      {d.engagements.length === 0 ? (
        <Card>
          <EmptyState>No engagements.</EmptyState>
        </Card>
      ) : (
        d.engagements.map((e) => (
          <Card key={e.id} title={e.title}>
            <p>
              {e.type.replaceAll('_', ' ')} · {e.startsOn} to {e.endsOn ?? 'open'} · {e.status}
            </p>
            <p>{e.summary}</p>
            <div className="bar-track" role="img" aria-label={`${e.burn.hoursShare}% of the hours budget used`}>
              <span
                style={{
                  display: 'inline-block',
                  height: '0.8em',
                  width: `${Math.min(100, e.burn.hoursShare)}%`,
                  background: 'currentColor',
                  opacity: 0.45,
                }}
              />
            </div>
            {e.weeks.length > 0 && (
              <table>
                <thead>
                  <tr>
                    <th>Week of</th>
                    <th>Hours by role</th>
                  </tr>
                </thead>
                <tbody>
                  {e.weeks.map((w) => (
                    <tr key={w.week}>
                      <td>{w.week}</td>
                      <td>{w.roles}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Card>
        ))
      )}
    </>
  )
}
