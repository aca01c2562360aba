import { useActionData } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/engagement'
import { Button, Card, EmptyState, FormError, Notice, PageHeader, PostForm, Stat } from '#app/components/ui.tsx'
import { fromAppError, invalid, parseValues, rethrowAsResponse } from '#app/lib/forms.server.ts'
import { requireActor } from '#app/lib/session.server.ts'
import { canAsStaff } from '#services/identity/actor.ts'
import { decideTimesheet, timesheetActionSchema } from '#services/engagements/decide-timesheet.ts'
import { engagementDetail } from '#services/engagements/engagement-views.ts'
import { engagementStatusSchema, setEngagementStatus } from '#services/engagements/set-engagement-status.ts'
import { tenantScope } from '#services/tenancy/tenant-guard.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Engagement · GGML Platform' }]

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const actor = requireActor(context, request)
  const e = await engagementDetail(actor, params.engagementId).catch(rethrowAsResponse)
  const subtitle =
    `${e.customer.name} · ${e.type.replaceAll('_', ' ')} in ${e.currency} · ${e.startsOn} to ${e.endsOn ?? 'open'}` +
    ` · lead ${e.lead.name} · ${e.status}${e.statusReason ? ` (${e.statusReason})` : ''}`
  return { ...e, subtitle, can: { manage: canAsStaff(actor, 'services.manage') } }
}

const intents = z.discriminatedUnion('intent', [
  timesheetActionSchema.extend({ intent: z.literal('week') }),
  engagementStatusSchema.extend({ intent: z.literal('status') }),
])

export async function action({ context, request, params }: Route.ActionArgs) {
  const actor = requireActor(context, request)
  // Who may not see the engagement learns nothing, whatever they post: the same 404 as the page.
  const { customer } = await engagementDetail(actor, params.engagementId).catch(rethrowAsResponse)
  const parsed = parseValues(Object.fromEntries(await request.formData()), intents)
  if (!parsed.ok) return invalid(parsed.errors)
  const f = parsed.data
  try {
    // The engagement's customer is the tenant: every change goes through the guard, scoped to it.
    const e = { organizationId: customer.id }
    if (f.intent === 'status') {
      const scope = await tenantScope(actor, { id: e.organizationId }, 'services.manage')
      await setEngagementStatus(scope, { ...f, engagementId: params.engagementId })
      return { done: `The engagement is ${f.to}.` }
    }
    const scope = await tenantScope(
      actor,
      { id: e.organizationId },
      f.action === 'submit' ? 'time.log' : 'time.approve',
    )
    const r = await decideTimesheet(scope, f)
    return { done: `The week is ${r.status === 'draft' ? 'back with its author, with your reason' : r.status}.` }
  } catch (e) {
    return fromAppError(e)
  }
}

export default function Engagement({ loaderData: d }: Route.ComponentProps) {
  const result = useActionData<typeof action>()
  const errors = result && 'errors' in result ? result.errors : undefined
  const next = { draft: ['signed', 'cancelled'], signed: ['active', 'cancelled'], active: ['completed', 'cancelled'] }[
    d.status as 'draft' | 'signed' | 'active'
  ]
  return (
    <>
      <PageHeader title={d.title} subtitle={d.subtitle} />
      {result && 'done' in result && <Notice>{result.done}</Notice>}
      <FormError errors={errors} />
      <div className="grid">
        <Stat label="Hours approved" value={d.burn.hours} hint={`of ${d.burn.budgetHours} (${d.burn.hoursShare}%)`} />
        <Stat label="Billed value" value={d.burn.amount} hint={`of ${d.burn.budget} (${d.burn.moneyShare}%)`} />
        <Stat label="Submitted, not yet approved" value={d.burn.pendingHours} />
      </div>
      {d.can.manage && next && (
        <Card title="Status">
          <div className="actions-row">
            {next.map((to) => (
              <PostForm key={to} className="row">
                <input type="hidden" name="intent" value="status" />
                <input type="hidden" name="engagementId" value={d.id} />
                <input type="hidden" name="to" value={to} />
                {to === 'cancelled' && <input name="reason" placeholder="Why" aria-label="Why it is cancelled" />}
                <Button variant={to === 'cancelled' ? 'danger' : 'secondary'}>Mark {to}</Button>
              </PostForm>
            ))}
          </div>
        </Card>
      )}
      <Card title="Team">
        <table>
          <tbody>
            {d.team.map((m) => (
              <tr key={m.email}>
                <td>{m.name}</td>
                <td>{m.rateRole.replaceAll('_', ' ')}</td>
                <td className="hint">cost {m.costRate}/h</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
      <Card title="Weeks">
        {d.weeks.length === 0 ? (
          <EmptyState>No time logged yet.</EmptyState>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Week of</th>
                <th>Person</th>
                <th>Hours</th>
                <th>Value</th>
                <th>Status</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {d.weeks.map((w) => (
                <tr key={w.id}>
                  <td>{w.weekStart}</td>
                  <td>
                    {w.person}
                    <div className="hint">{w.tasks}</div>
                  </td>
                  <td>{w.hours}</td>
                  <td>{w.amount ?? ''}</td>
                  <td>
                    {w.status}
                    {w.rejectionReason && w.status === 'draft' && (
                      <div className="hint">Returned: {w.rejectionReason}</div>
                    )}
                  </td>
                  <td>
                    {d.isLead && !w.mine && w.status === 'submitted' && (
                      <div className="actions-row">
                        <PostForm>
                          <input type="hidden" name="intent" value="week" />
                          <input type="hidden" name="timesheetId" value={w.id} />
                          <input type="hidden" name="action" value="approve" />
                          <Button>Approve</Button>
                        </PostForm>
                        <PostForm className="row">
                          <input type="hidden" name="intent" value="week" />
                          <input type="hidden" name="timesheetId" value={w.id} />
                          <input type="hidden" name="action" value="reject" />
                          <input
                            name="reason"
                            placeholder="What to fix"
                            aria-label={`Why ${w.person}'s week is returned`}
                          />
                          <Button variant="secondary">Return</Button>
                        </PostForm>
                      </div>
                    )}
                    {(d.isLead || d.can.manage) && w.status === 'approved' && (
                      <PostForm>
                        <input type="hidden" name="intent" value="week" />
                        <input type="hidden" name="timesheetId" value={w.id} />
                        <input type="hidden" name="action" value="lock" />
                        <Button variant="secondary">Lock</Button>
                      </PostForm>
                    )}
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
