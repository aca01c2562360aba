import { Link, useActionData } from 'react-router'
import { z } from 'zod'
import { WeekDecision } from '#app/components/engagement-tables.tsx'
import { type Columns, DataTable } from '#app/components/data-table.tsx'
import type { Route } from './+types/dashboard'
import { Button, Card, Field, Notice, PageHeader, PostForm } from '#app/components/ui.tsx'
import { attempt, invalid, parseValues } from '#app/lib/forms.server.ts'
import { requireActor, requireStaff } from '#app/lib/session.server.ts'
import { invoiceRunSchema, runServicesInvoicing } from '#services/engagements/run-services-invoicing.ts'
import { canAsStaff } from '#services/identity/actor.ts'
import { servicesOverview } from '#services/engagements/engagement-views.ts'
import { decideTimesheet, timesheetActionSchema } from '#services/engagements/decide-timesheet.ts'
import { tenantScope } from '#services/tenancy/tenant-guard.ts'

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

const intents = z.discriminatedUnion('intent', [
  invoiceRunSchema.extend({ intent: z.literal('invoice-run') }),
  // A week decided from the approval queue: the same use case and permission as on the engagement page.
  timesheetActionSchema.extend({
    intent: z.literal('week'),
    action: z.enum(['approve', 'reject']),
    organizationId: z.string().trim().min(1).max(64),
  }),
])

// The monthly invoice run, started by hand (it also runs on the first of each month), and the weeks
// waiting for this person, approved or returned right in their row (issue 29).
export async function action({ context, request }: Route.ActionArgs) {
  const actor = requireActor(context, request)
  const parsed = parseValues(Object.fromEntries(await request.formData()), intents)
  if (!parsed.ok) return invalid(parsed.errors)
  const f = parsed.data
  return attempt(async () => {
    if (f.intent === 'week') {
      const scope = await tenantScope(actor, { id: f.organizationId }, 'time.approve')
      const r = await decideTimesheet(scope, f)
      return { done: r.status === 'draft' ? 'The week is back with its author, with your reason.' : 'Week approved.' }
    }
    requireStaff(context, request, 'services.manage')
    const r = await runServicesInvoicing(f, actor)
    return {
      done: r.invoiced.length
        ? `Invoiced ${r.invoiced.length} engagement(s): ${r.invoiced.map((i) => i.amount).join(', ')}.`
        : `Nothing approved through ${r.month} was left to invoice.`,
    }
  })
}

const engagementColumns: Columns<Route.ComponentProps['loaderData']['engagements'][number]> = [
  {
    header: 'Engagement',
    cell: (e) => (
      <>
        <Link to={`/services/engagements/${e.id}`}>{e.title}</Link>
        <div className="hint">
          {e.type.replaceAll('_', ' ')} · lead {e.lead}
        </div>
      </>
    ),
  },
  { header: 'Customer', cell: (e) => e.customer },
  {
    header: 'Status',
    cell: (e) => (
      <>
        {e.status}
        {e.alerts && <div className="field-error">Budget: {e.alerts} used</div>}
      </>
    ),
  },
  {
    header: 'Hours (approved of budget)',
    cell: ({ burn }) => (
      <>
        {burn.hours} of {burn.budgetHours} ({burn.hoursShare}%)
        {burn.pendingHours !== '0 h' && <div className="hint">{burn.pendingHours} submitted</div>}
      </>
    ),
  },
  { header: 'Money', cell: ({ burn }) => `${burn.amount} of ${burn.budget}` },
]

const waitingColumns: Columns<Route.ComponentProps['loaderData']['waiting'][number]> = [
  { header: 'Person', cell: (w) => w.person },
  {
    header: 'Engagement',
    cell: (w) => <Link to={`/services/engagements/${w.engagementId}`}>{w.engagement}</Link>,
  },
  { header: 'Week', cell: (w) => `week of ${w.weekStart}` },
  { header: 'Hours', cell: (w) => w.hours },
  {
    header: 'Decision',
    cell: (w) => <WeekDecision timesheetId={w.id} person={w.person} fields={{ organizationId: w.organizationId }} />,
  },
]

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
      {d.can.manage && (
        <Card title="Invoice run">
          <PostForm className="row" errors={errors}>
            <input type="hidden" name="intent" value="invoice-run" />
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
        <DataTable rows={d.waiting} empty="Nothing waits for you." columns={waitingColumns} />
      </Card>
      <Card title="Engagements">
        <DataTable rows={d.engagements} empty="No engagements yet." columns={engagementColumns} />
      </Card>
    </>
  )
}
