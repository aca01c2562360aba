import { Link, useActionData } from 'react-router'
import type { Route } from './+types/dashboard'
import { Button, Card, EmptyState, Field, FormError, Notice, PageHeader, PostForm } from '#app/components/ui.tsx'
import { fromAppError, invalid, parseValues } from '#app/lib/forms.server.ts'
import { requireActor, requireStaff } from '#app/lib/session.server.ts'
import { invoiceRunSchema, runServicesInvoicing } from '#services/engagements/run-services-invoicing.ts'
import { canAsStaff } from '#services/identity/actor.ts'
import { servicesOverview } from '#services/engagements/engagement-views.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Professional services · GGML Platform' }]

// The services team's home: every engagement and its burn (the lead and consultants see theirs), and
// the weeks waiting for this person's approval.
export async function loader({ context, request }: Route.LoaderArgs) {
  const actor = requireActor(context, request)
  if (!canAsStaff(actor, 'services.view') && !canAsStaff(actor, 'time.log'))
    throw new Response('You do not have access to this page.', { status: 403 })
  return {
    ...(await servicesOverview(actor)),
    can: {
      manage: canAsStaff(actor, 'services.manage'),
      log: canAsStaff(actor, 'time.log'),
      reports: canAsStaff(actor, 'services.view'),
    },
  }
}

// The monthly invoice run, started by hand (it also runs on the first of each month).
export async function action({ context, request }: Route.ActionArgs) {
  const actor = requireStaff(context, request, 'services.manage')
  const parsed = parseValues(Object.fromEntries(await request.formData()), invoiceRunSchema)
  if (!parsed.ok) return invalid(parsed.errors)
  try {
    const r = await runServicesInvoicing(parsed.data, actor)
    return {
      done: r.invoiced.length
        ? `Invoiced ${r.invoiced.length} engagement(s): ${r.invoiced.map((i) => i.amount).join(', ')}.`
        : `Nothing approved through ${r.month} was left to invoice.`,
    }
  } catch (e) {
    return fromAppError(e)
  }
}

export default function Dashboard({ loaderData: d }: Route.ComponentProps) {
  const result = useActionData<typeof action>()
  const errors = result && 'errors' in result ? result.errors : undefined
  return (
    <>
      <PageHeader
        title="Professional services"
        subtitle="Engagements, their budgets, and the time logged against them."
        actions={
          <div className="actions-row">
            {d.can.log && (
              <Link className="btn btn-primary" to="/services/timesheet">
                My timesheet
              </Link>
            )}
            {d.can.manage && (
              <>
                <Link className="btn btn-secondary" to="/services/engagements/new">
                  New engagement
                </Link>
                <Link className="btn btn-secondary" to="/services/rates">
                  Rate card
                </Link>
              </>
            )}
            {d.can.reports && (
              <Link className="btn btn-secondary" to="/services/reports">
                Utilization and margin
              </Link>
            )}
          </div>
        }
      />
      {result && 'done' in result && <Notice>{result.done}</Notice>}
      <FormError errors={errors} />
      {d.can.manage && (
        <Card title="Invoice run">
          <PostForm className="row">
            <Field
              label="Bill approved time through the end of"
              name="month"
              hint="A month that has ended, like 2027-03."
              errors={errors}
            />
            <Button>Run invoicing</Button>
          </PostForm>
        </Card>
      )}
      <Card title="Weeks waiting for your approval">
        {d.waiting.length === 0 ? (
          <EmptyState>Nothing waits for you.</EmptyState>
        ) : (
          <table>
            <tbody>
              {d.waiting.map((w) => (
                <tr key={w.id}>
                  <td>{w.person}</td>
                  <td>{w.engagement}</td>
                  <td>week of {w.weekStart}</td>
                  <td>{w.hours}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      <Card title="Engagements">
        {d.engagements.length === 0 ? (
          <EmptyState>No engagements yet.</EmptyState>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Engagement</th>
                <th>Customer</th>
                <th>Status</th>
                <th>Hours (approved of budget)</th>
                <th>Money</th>
              </tr>
            </thead>
            <tbody>
              {d.engagements.map((e) => (
                <tr key={e.id}>
                  <td>
                    <Link to={`/services/engagements/${e.id}`}>{e.title}</Link>
                    <div className="hint">
                      {e.type.replaceAll('_', ' ')} · lead {e.lead}
                    </div>
                  </td>
                  <td>{e.customer}</td>
                  <td>
                    {e.status}
                    {e.alerts && <div className="field-error">Budget: {e.alerts} used</div>}
                  </td>
                  <td>
                    {e.burn.hours} of {e.burn.budgetHours} ({e.burn.hoursShare}%)
                    {e.burn.pendingHours !== '0 h' && <div className="hint">{e.burn.pendingHours} submitted</div>}
                  </td>
                  <td>
                    {e.burn.amount} of {e.burn.budget}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </>
  )
}
