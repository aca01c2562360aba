import { z } from 'zod'
import { Link, redirect, useActionData } from 'react-router'
import type { Route } from './+types/engagements'
import { BurnChart } from '#app/components/charts.tsx'
import { ChangeOrderTable, MilestoneTable } from '#app/components/engagement-tables.tsx'
import { type Column, DataTable } from '#app/components/data-table.tsx'
import { DecisionForm } from '#app/components/decision-form.tsx'
import { KpiCards } from '#app/components/kpi-cards.tsx'
import { Button, Card, EmptyState, FormError, Notice, PageHeader, PostForm } from '#app/components/ui.tsx'
import { attempt, invalid, parseValues } from '#app/lib/forms.server.ts'
import { pageOrganization, requireTenant } from '#app/lib/tenant.server.ts'
import { changeOrderDecisionSchema, decideChangeOrder } from '#services/engagements/decide-change-order.ts'
import { decideMilestone, milestoneDecisionSchema } from '#services/engagements/decide-milestone.ts'
import { customerEngagements } from '#services/engagements/engagement-views.ts'
import { openSowSigning } from '#services/engagements/open-sow-signing.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Engagements · GGML Platform' }]

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await requireTenant(context, request, params.orgSlug, 'engagements.view')
  return {
    ...pageOrganization(scope),
    engagements: await customerEngagements(scope),
    can: {
      accept: scope.granted.has('milestones.accept'),
      decide: scope.granted.has('change_orders.decide'),
      invoices: scope.granted.has('invoices.view'),
    },
  }
}

const intents = z.discriminatedUnion('intent', [
  milestoneDecisionSchema.extend({ intent: z.literal('milestone') }),
  changeOrderDecisionSchema.extend({ intent: z.literal('change-order') }),
  z.object({ intent: z.literal('sign-sow'), engagementId: z.string().trim().min(1).max(64) }),
])

export async function action({ context, request, params }: Route.ActionArgs) {
  // Who may not see the organization's engagements learns nothing, whatever they post.
  await requireTenant(context, request, params.orgSlug, 'engagements.view')
  const parsed = parseValues(Object.fromEntries(await request.formData()), intents)
  if (!parsed.ok) return invalid(parsed.errors)
  const f = parsed.data
  return attempt(async () => {
    if (f.intent === 'sign-sow') {
      const scope = await requireTenant(context, request, params.orgSlug, 'contracts.sign')
      return redirect(await openSowSigning(scope, f.engagementId, `/portal/${scope.organization.slug}/engagements`))
    }
    if (f.intent === 'milestone') {
      const scope = await requireTenant(context, request, params.orgSlug, 'milestones.accept')
      await decideMilestone(scope, f)
      return {
        done: f.decision === 'accept' ? 'Accepted: it is invoiced in the next run.' : 'Returned to the team.',
      }
    }
    const scope = await requireTenant(context, request, params.orgSlug, 'change_orders.decide')
    await decideChangeOrder(scope, f)
    return { done: f.decision === 'approve' ? 'Approved: the budget is updated.' : 'Declined, with your reason.' }
  })
}

type Engagement = Route.ComponentProps['loaderData']['engagements'][number]

const expenseColumns = (slug: string): Column<Engagement['expenses'][number]>[] => [
  { header: 'Day', cell: (x) => x.day },
  { header: 'Expense', cell: (x) => x.description },
  { header: 'Amount', cell: (x) => x.amount },
  { header: 'Receipt', cell: (x) => <a href={`/portal/${slug}/engagements/expenses/${x.id}/receipt`}>receipt</a> },
]

const invoiceColumns = (slug: string, linked: boolean): Column<Engagement['invoices'][number]>[] => [
  {
    header: 'Invoice',
    cell: (i) => (linked ? <Link to={`/portal/${slug}/invoices/${i.id}`}>{i.number}</Link> : i.number),
  },
  { header: 'For', cell: (i) => i.description },
  { header: 'Amount', cell: (i) => i.amountDue },
  { header: 'Status', cell: (i) => i.status },
]

export default function Engagements({ loaderData: d }: Route.ComponentProps) {
  const result = useActionData<typeof action>()
  const errors = result && 'errors' in result ? result.errors : undefined
  return (
    <>
      <PageHeader title="Engagements" subtitle={`${d.organization}: work ggml's services team does for you`} />
      {result && 'done' in result && <Notice>{result.done}</Notice>}
      <FormError errors={errors} />
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
            <KpiCards
              figures={[
                {
                  label: 'Hours approved',
                  value: e.burn.hours,
                  hint: `of ${e.burn.budgetHours} (${e.burn.hoursShare}%)`,
                },
                {
                  label: 'Value of approved work',
                  value: e.burn.amount,
                  hint: `of ${e.burn.budget} (${e.burn.moneyShare}%)`,
                },
              ]}
            />
            {e.sow.mineToSign && (
              <PostForm>
                <input type="hidden" name="intent" value="sign-sow" />
                <input type="hidden" name="engagementId" value={e.id} />
                <Button>Sign the statement of work</Button>
              </PostForm>
            )}
            {e.sow.outForSignature && !e.sow.mineToSign && (
              <p className="hint">The statement of work is out for signature in DocuSign.</p>
            )}
            {e.sow.signed && (
              <p>
                <a href={`/portal/${d.orgSlug}/engagements/${e.id}/sow.pdf`}>Signed statement of work (PDF)</a>
              </p>
            )}
            {e.burnChart.length > 0 && <BurnChart points={e.burnChart} budgetHours={e.budgetHours} />}
            {e.milestones.length > 0 && (
              <>
                <h3>Milestones</h3>
                <MilestoneTable
                  rows={e.milestones}
                  deliveredHint={(m) => `accept or return by ${m.acceptBy}; after that it is accepted as delivered`}
                  actions={(m) =>
                    d.can.accept &&
                    m.status === 'delivered' && (
                      <DecisionForm
                        fields={{ intent: 'milestone', milestoneId: m.id }}
                        approve={{ value: 'accept', label: `Accept “${m.title}”` }}
                        giveBack={{
                          value: 'return',
                          label: 'Return',
                          placeholder: 'What is missing',
                          reasonLabel: `What ${m.title} is missing`,
                        }}
                      />
                    )
                  }
                />
              </>
            )}
            <h3>Budget and scope</h3>
            <ChangeOrderTable
              rows={e.changeOrders}
              actions={(c) =>
                d.can.decide &&
                c.status === 'proposed' && (
                  <DecisionForm
                    fields={{ intent: 'change-order', changeOrderId: c.id }}
                    approve={{ value: 'approve', label: `Approve version ${c.version}` }}
                    giveBack={{
                      value: 'decline',
                      label: 'Decline',
                      placeholder: 'Why',
                      reasonLabel: `Why version ${c.version} is declined`,
                    }}
                  />
                )
              }
            />
            {e.weeks.length > 0 && (
              <>
                <h3>Approved hours by week and role</h3>
                <DataTable
                  rows={e.weeks}
                  rowKey={(w) => w.week}
                  columns={[
                    { header: 'Week of', cell: (w) => w.week },
                    { header: 'Hours by role', cell: (w) => w.roles },
                  ]}
                />
              </>
            )}
            {e.expenses.length > 0 && (
              <>
                <h3>Approved expenses</h3>
                <DataTable rows={e.expenses} headless columns={expenseColumns(d.orgSlug)} />
              </>
            )}
            {e.invoices.length > 0 && (
              <>
                <h3>Invoices</h3>
                <DataTable rows={e.invoices} headless columns={invoiceColumns(d.orgSlug, d.can.invoices)} />
              </>
            )}
          </Card>
        ))
      )}
    </>
  )
}
