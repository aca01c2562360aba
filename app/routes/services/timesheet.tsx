import { Form, useActionData } from 'react-router'
import { z } from 'zod'
import { type Columns, DataTable } from '#app/components/data-table.tsx'
import { HiddenFields, RowAction } from '#app/components/row-actions.tsx'
import type { Route } from './+types/timesheet'
import { Button, Card, EmptyState, Input, Notice, PageHeader, PostForm } from '#app/components/ui.tsx'
import { formAction } from '#app/lib/forms.server.ts'
import { requireStaff } from '#app/lib/session.server.ts'
import { consultantWeek } from '#services/engagements/engagement-views.ts'
import { decideTimesheet } from '#services/engagements/decide-timesheet.ts'
import { logWeek, weekOf } from '#services/engagements/log-week.ts'
import { addDays } from '#services/kernel/calendar/months.ts'
import { todayUtc } from '#services/platform/clock.ts'
import { tenantScope } from '#services/tenancy/tenant-guard.ts'

export const meta: Route.MetaFunction = () => [{ title: 'My timesheet · GGML Platform' }]

const weekParam = (request: Request) => {
  const w = new URL(request.url).searchParams.get('week') ?? ''
  return /^\d{4}-\d{2}-\d{2}$/.test(w) && !Number.isNaN(Date.parse(w)) ? weekOf(w) : weekOf(todayUtc())
}

export async function loader({ context, request }: Route.LoaderArgs) {
  const actor = requireStaff(context, request, 'time.log')
  const week = await consultantWeek(actor, weekParam(request))
  return { ...week, previous: addDays(week.weekStart, -7), next: addDays(week.weekStart, 7) }
}

const id = z.string().trim().min(1).max(64)
const intents = z.discriminatedUnion('intent', [
  z.object({
    intent: z.literal('save'),
    organizationId: id,
    engagementId: id,
    weekStart: z.string(),
    task: z.string(),
    // Named as logWeek keys its messages (`hours.3`), so each message lands on its day's input.
    'hours.0': z.string().default(''),
    'hours.1': z.string().default(''),
    'hours.2': z.string().default(''),
    'hours.3': z.string().default(''),
    'hours.4': z.string().default(''),
    'hours.5': z.string().default(''),
    'hours.6': z.string().default(''),
  }),
  z.object({ intent: z.literal('submit'), organizationId: id, timesheetId: id }),
])

export async function action({ context, request }: Route.ActionArgs) {
  const actor = requireStaff(context, request, 'time.log')
  return formAction(request, intents, async (f) => {
    // The engagement's customer is the tenant; the service checks the person is on its team.
    const scope = await tenantScope(actor, { id: f.organizationId }, 'time.log')
    if (f.intent === 'save') {
      const hours = [f['hours.0'], f['hours.1'], f['hours.2'], f['hours.3'], f['hours.4'], f['hours.5'], f['hours.6']]
      await logWeek(scope, { ...f, hours })
      return { done: 'Saved.' }
    }
    await decideTimesheet(scope, { timesheetId: f.timesheetId, action: 'submit' })
    return { done: 'Submitted: the engagement lead approves it.' }
  })
}

const pastWeekColumns: Columns<Route.ComponentProps['loaderData']['past'][number]> = [
  { header: 'Week of', cell: (p) => p.weekStart },
  { header: 'Engagement', cell: (p) => p.engagement },
  { header: 'Hours', cell: (p) => p.hours },
  { header: 'Status', cell: (p) => p.status },
]

export default function Timesheet({ loaderData: d }: Route.ComponentProps) {
  const result = useActionData<typeof action>()
  const errors = result && 'errors' in result ? result.errors : undefined
  return (
    <>
      <PageHeader
        title={`Week of ${d.weekStart}`}
        subtitle="Your hours per engagement and day; the remaining budget counts approved time."
        actions={
          <Form method="get" className="row">
            <a className="btn btn-secondary" href={`?week=${d.previous}`}>
              Previous week
            </a>
            <a className="btn btn-secondary" href={`?week=${d.next}`}>
              Next week
            </a>
          </Form>
        }
      />
      {result && 'done' in result && <Notice>{result.done}</Notice>}
      {d.rows.length === 0 ? (
        <Card>
          <EmptyState>You are on no active engagement.</EmptyState>
        </Card>
      ) : (
        d.rows.map((r) => (
          <Card key={r.engagementId} title={`${r.title} · ${r.customer}`}>
            <p className="hint">
              {r.burn.remainingHours} and {r.burn.remaining} of the budget left ({r.burn.hoursShare}% of hours used)
              {r.burn.pendingHours !== '0 h' ? `; ${r.burn.pendingHours} submitted, waiting for approval` : ''}. This
              week: {r.status}
              {r.rejectionReason && r.status === 'draft' ? `, returned: ${r.rejectionReason}` : ''}.
            </p>
            <PostForm errors={errors} formKey={`save-${r.engagementId}`}>
              <HiddenFields
                values={{
                  intent: 'save',
                  organizationId: r.organizationId,
                  engagementId: r.engagementId,
                  weekStart: d.weekStart,
                }}
              />
              <table>
                <thead>
                  <tr>
                    {d.days.map((day) => (
                      <th key={day}>{day.slice(5)}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  <tr>
                    {r.hours.map((h, i) => (
                      <td key={d.days[i]}>
                        <Input
                          name={`hours.${i}`}
                          defaultValue={h}
                          size={4}
                          inputMode="decimal"
                          aria-label={`Hours on ${d.days[i]} for ${r.title}`}
                          disabled={r.status !== 'draft'}
                        />
                      </td>
                    ))}
                  </tr>
                </tbody>
              </table>
              <label>
                Task <Input name="task" defaultValue={r.task} disabled={r.status !== 'draft'} />
              </label>
              {r.status === 'draft' && <Button variant="secondary">Save the week</Button>}
            </PostForm>
            {r.status === 'draft' && r.timesheetId && (
              <RowAction
                fields={{ intent: 'submit', organizationId: r.organizationId, timesheetId: r.timesheetId }}
                variant="primary"
                label="Submit the week"
                errors={errors}
                formKey={`submit-${r.engagementId}`}
              />
            )}
          </Card>
        ))
      )}
      <Card title="Past weeks">
        <DataTable
          rows={d.past}
          headless
          empty="None yet."
          rowKey={(p) => `${p.weekStart}-${p.engagement}`}
          columns={pastWeekColumns}
        />
      </Card>
    </>
  )
}
