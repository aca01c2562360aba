import { redirect, useActionData } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/engagement'
import {
  Button,
  Card,
  Field,
  FileField,
  FormError,
  Notice,
  PageHeader,
  PostForm,
  TextArea,
  type FormErrors,
} from '#app/components/ui.tsx'
import { attempt, invalid, parseValues, rethrowAsResponse, stringFields, uploadedFile } from '#app/lib/forms.server.ts'
import { requireActor } from '#app/lib/session.server.ts'
import { canAsStaff } from '#services/identity/actor.ts'
import { decideTimesheet, timesheetActionSchema } from '#services/engagements/decide-timesheet.ts'
import { engagementDetail } from '#services/engagements/engagement-views.ts'
import { engagementStatusSchema, setEngagementStatus } from '#services/engagements/set-engagement-status.ts'
import { requestSignedException, signedExceptionSchema } from '#services/engagements/request-signed-exception.ts'
import {
  decideSignedException,
  decideSignedExceptionSchema,
  mayApproveSignedException,
} from '#services/engagements/decide-signed-exception.ts'
import { tenantScope } from '#services/tenancy/tenant-guard.ts'
import { ChangeOrderTable, MilestoneTable, WeekDecision } from '#app/components/engagement-tables.tsx'
import { type Columns, DataTable, withHint } from '#app/components/data-table.tsx'
import { DecisionForm } from '#app/components/decision-form.tsx'
import { RowAction } from '#app/components/row-actions.tsx'
import { KpiCards } from '#app/components/kpi-cards.tsx'
import { addMilestone, milestoneSchema } from '#services/engagements/add-milestone.ts'
import { deliverMilestone, milestoneRefSchema } from '#services/engagements/deliver-milestone.ts'
import { decideExpense, expenseDecisionSchema } from '#services/engagements/decide-expense.ts'
import { expenseSchema, submitExpense } from '#services/engagements/submit-expense.ts'
import { changeOrderSchema, proposeChangeOrder } from '#services/engagements/propose-change-order.ts'
import { sendSowSchema, sendStatementOfWork } from '#services/engagements/send-statement-of-work.ts'
import { openSowSigning } from '#services/engagements/open-sow-signing.ts'
import { eligibleSigners, ggmlSigners } from '#services/contracts/send-for-signature.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Engagement · GGML Platform' }]

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const actor = requireActor(context, request)
  const e = await engagementDetail(actor, params.engagementId).catch(rethrowAsResponse)
  const subtitle =
    `${e.customer.name} · ${e.type.replaceAll('_', ' ')} in ${e.currency} · ${e.startsOn} to ${e.endsOn ?? 'open'}` +
    ` · lead ${e.lead.name} · ${e.status}${e.statusReason ? ` (${e.statusReason})` : ''}`
  const manage = canAsStaff(actor, 'services.manage')
  const signers =
    manage && e.status === 'draft' && !e.sow.outForSignature
      ? { customer: await eligibleSigners(e.customer.id), ggml: await ggmlSigners() }
      : null
  return { ...e, subtitle, signers, can: { manage, approveException: mayApproveSignedException(actor) } }
}

const withoutEngagement = { engagementId: true } as const
const intents = z.discriminatedUnion('intent', [
  timesheetActionSchema.extend({ intent: z.literal('week') }),
  engagementStatusSchema.omit(withoutEngagement).extend({ intent: z.literal('status') }),
  milestoneSchema.omit(withoutEngagement).extend({ intent: z.literal('milestone') }),
  milestoneRefSchema.extend({ intent: z.literal('deliver') }),
  expenseSchema.omit(withoutEngagement).extend({ intent: z.literal('expense') }),
  expenseDecisionSchema.extend({ intent: z.literal('decide-expense') }),
  changeOrderSchema.omit(withoutEngagement).extend({ intent: z.literal('change-order') }),
  sendSowSchema.extend({ intent: z.literal('send-sow') }),
  z.object({ intent: z.literal('sign-sow') }),
  signedExceptionSchema.omit(withoutEngagement).extend({ intent: z.literal('signed-exception') }),
  decideSignedExceptionSchema.omit(withoutEngagement).extend({ intent: z.literal('decide-signed-exception') }),
])

export async function action({ context, request, params }: Route.ActionArgs) {
  const actor = requireActor(context, request)
  // Who may not see the engagement learns nothing, whatever they post: the same 404 as the page.
  const { customer } = await engagementDetail(actor, params.engagementId).catch(rethrowAsResponse)
  const form = await request.formData()
  const parsed = parseValues(stringFields(form), intents)
  if (!parsed.ok) return invalid(parsed.errors)
  const f = parsed.data
  const engagementId = params.engagementId
  return attempt(async () => {
    // The engagement's customer is the tenant: every change goes through the guard, scoped to it.
    const as = (p: Parameters<typeof tenantScope>[2]) => tenantScope(actor, { id: customer.id }, p)
    switch (f.intent) {
      case 'status':
        await setEngagementStatus(await as('services.manage'), { ...f, engagementId })
        return { done: `The engagement is ${f.to}.` }
      case 'signed-exception':
        await requestSignedException(await as('services.manage'), { ...f, engagementId })
        return { done: 'Recorded: a second person approves it before the engagement is signed.' }
      case 'decide-signed-exception':
        await decideSignedException(await as('engagements.view'), { ...f, engagementId })
        return { done: f.decision === 'approve' ? 'Approved: the engagement is signed.' : 'Declined: still a draft.' }
      case 'milestone':
        await addMilestone(await as('services.manage'), { ...f, engagementId })
        return { done: `Milestone “${f.title}” is planned.` }
      case 'deliver': {
        const { acceptBy } = await deliverMilestone(await as('time.approve'), f)
        return { done: `Delivered: the customer has until ${acceptBy} to accept or return it.` }
      }
      case 'expense': {
        const file = await uploadedFile(form, 'receipt')
        await submitExpense(
          await as('expenses.submit'),
          { ...f, engagementId },
          file ? { filename: file.name, bytes: file.bytes } : null,
        )
        return { done: 'The expense is submitted; the lead approves it.' }
      }
      case 'decide-expense':
        await decideExpense(await as('expenses.approve'), f)
        return { done: `The expense is ${f.decision === 'approve' ? 'approved' : 'rejected'}.` }
      case 'send-sow':
        await sendStatementOfWork(await as('services.manage'), engagementId, f)
        return { done: 'The statement of work is out for signature: the customer signs first, then ggml.' }
      case 'sign-sow':
        return redirect(
          await openSowSigning(await as('contracts.sign'), engagementId, `/services/engagements/${engagementId}`),
        )
      case 'change-order': {
        const { version } = await proposeChangeOrder(await as('services.manage'), { ...f, engagementId })
        return { done: `Version ${version} is sent to the customer for approval.` }
      }
    }
    const scope = await as(f.action === 'submit' ? 'time.log' : 'time.approve')
    const r = await decideTimesheet(scope, f)
    return { done: `The week is ${r.status === 'draft' ? 'back with its author, with your reason' : r.status}.` }
  })
}

/** Who signs the statement of work for one side, chosen from those allowed to. */
function SignerSelect(props: { label: string; name: string; signers: { id: string; name: string; email: string }[] }) {
  return (
    <label>
      {props.label}
      <select name={props.name}>
        {props.signers.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name} ({s.email})
          </option>
        ))}
      </select>
    </label>
  )
}

type Data = Route.ComponentProps['loaderData']

const expenseColumns = (d: Data): Columns<Data['expenses'][number]> => [
  { header: 'Day', cell: (x) => x.day },
  { header: 'Person', cell: (x) => x.person },
  {
    header: 'Expense',
    cell: (x) => (
      <>
        {x.description}
        <div className="hint">
          <a href={`/services/engagements/${d.id}/expenses/${x.id}/receipt`}>{x.receipt}</a>
        </div>
      </>
    ),
  },
  { header: 'Amount', cell: (x) => x.amount },
  { header: 'Status', cell: (x) => withHint(x.status, x.rejectionReason) },
  {
    header: '',
    cell: (x) =>
      (d.isLead || d.can.manage) &&
      !x.mine &&
      x.status === 'submitted' && (
        <DecisionForm
          fields={{ intent: 'decide-expense', expenseId: x.id }}
          approve={{ value: 'approve', label: 'Approve' }}
          giveBack={{
            value: 'reject',
            label: 'Reject',
            placeholder: 'Why',
            reasonLabel: `Why ${x.person}'s expense is rejected`,
          }}
        />
      ),
  },
]

const weekColumns = (d: Data): Columns<Data['weeks'][number]> => [
  { header: 'Week of', cell: (w) => w.weekStart },
  { header: 'Person', cell: (w) => withHint(w.person, w.tasks) },
  { header: 'Hours', cell: (w) => w.hours },
  { header: 'Value', cell: (w) => w.amount ?? '' },
  {
    header: 'Status',
    cell: (w) => withHint(w.status, w.status === 'draft' && w.rejectionReason && `Returned: ${w.rejectionReason}`),
  },
  {
    header: '',
    cell: (w) => (
      <>
        {d.isLead && !w.mine && w.status === 'submitted' && <WeekDecision timesheetId={w.id} person={w.person} />}
        {(d.isLead || d.can.manage) && w.status === 'approved' && (
          <RowAction fields={{ intent: 'week', timesheetId: w.id, action: 'lock' }} label="Lock" />
        )}
      </>
    ),
  },
]

/** Signed, out for signature, ready to send, or recorded as signed outside the platform for a second person. */
function StatementOfWork({ d, errors }: { d: Data; errors?: FormErrors }) {
  return (
    <Card title="Statement of work">
      {d.sow.signed ? (
        <p>
          Signed by both parties in DocuSign. <a href={`/services/engagements/${d.id}/sow.pdf`}>Signed PDF</a>
          <span className="hint"> · SHA-256 of what was sent {d.sow.sha256?.slice(0, 16)}…</span>
        </p>
      ) : d.sow.outForSignature ? (
        <>
          <p>Out for signature in DocuSign: the customer signs first, then ggml.</p>
          {d.sow.mineToSign && (
            <PostForm>
              <input type="hidden" name="intent" value="sign-sow" />
              <Button>Sign the statement of work</Button>
            </PostForm>
          )}
        </>
      ) : d.signers ? (
        <PostForm className="row">
          <input type="hidden" name="intent" value="send-sow" />
          <SignerSelect
            label={`Signs for ${d.customer.name}`}
            name="customerSignerUserId"
            signers={d.signers.customer}
          />
          <SignerSelect label="Signs for ggml" name="ggmlSignerUserId" signers={d.signers.ggml} />
          <Button>Send for signature</Button>
        </PostForm>
      ) : (
        <p className="hint">{d.status === 'draft' ? 'Not sent yet.' : 'Signed outside the platform.'}</p>
      )}
      {d.signedException ? (
        <div className="notice">
          <p>Recorded as signed outside the platform, waiting for a second person: “{d.signedException.reason}”</p>
          {d.signedException.mine ? (
            <p className="hint">You recorded it: another services lead or a ggml admin approves it.</p>
          ) : (
            d.can.approveException && (
              <div className="actions-row">
                {(['approve', 'decline'] as const).map((decision) => (
                  <PostForm key={decision}>
                    <input type="hidden" name="intent" value="decide-signed-exception" />
                    <input type="hidden" name="decision" value={decision} />
                    <Button variant={decision === 'approve' ? 'primary' : 'secondary'}>
                      {decision === 'approve' ? 'Approve: mark signed' : 'Decline'}
                    </Button>
                  </PostForm>
                ))}
              </div>
            )
          )}
        </div>
      ) : (
        d.can.manage &&
        d.status === 'draft' &&
        !d.sow.outForSignature && (
          <PostForm className="row">
            <input type="hidden" name="intent" value="signed-exception" />
            <Field label="Signed outside the platform? Say where and when" name="reason" errors={errors} />
            <Button variant="secondary">Record for approval</Button>
          </PostForm>
        )
      )}
    </Card>
  )
}

export default function Engagement({ loaderData: d }: Route.ComponentProps) {
  const result = useActionData<typeof action>()
  const errors = result && 'errors' in result ? result.errors : undefined
  // Signed comes from the signed statement of work or an approved exception, never from this form (issue 30).
  const next = { draft: ['cancelled'], signed: ['active', 'cancelled'], active: ['completed', 'cancelled'] }[
    d.status as 'draft' | 'signed' | 'active'
  ]
  return (
    <>
      <PageHeader title={d.title} subtitle={d.subtitle} />
      {result && 'done' in result && <Notice>{result.done}</Notice>}
      <FormError errors={errors} />
      <KpiCards
        figures={[
          { label: 'Hours approved', value: d.burn.hours, hint: `of ${d.burn.budgetHours} (${d.burn.hoursShare}%)` },
          { label: 'Billed value', value: d.burn.amount, hint: `of ${d.burn.budget} (${d.burn.moneyShare}%)` },
          { label: 'Submitted, not yet approved', value: d.burn.pendingHours },
        ]}
      />
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
      <StatementOfWork d={d} errors={errors} />
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
      {d.type === 'fixed_price' && (
        <Card title="Milestones">
          <p className="hint">
            The customer accepts a delivered milestone in the portal, or it is accepted after {d.acceptanceDays} days;
            acceptance is what the invoice run bills. Left to plan: {d.milestonesLeft}.
          </p>
          {d.milestones.length > 0 && (
            <MilestoneTable
              rows={d.milestones}
              showDue
              deliveredHint={(m) => `accept by ${m.acceptBy}`}
              actions={(m) =>
                (d.isLead || d.can.manage) &&
                m.status === 'planned' &&
                d.status === 'active' && (
                  <RowAction fields={{ intent: 'deliver', milestoneId: m.id }} label="Mark delivered" />
                )
              }
            />
          )}
          {d.can.manage && (
            <PostForm className="row">
              <input type="hidden" name="intent" value="milestone" />
              <Field label="Milestone" name="title" errors={errors} />
              <Field label={`Amount (${d.currency})`} name="amount" errors={errors} />
              <Field label="Due on" name="dueOn" type="date" errors={errors} />
              <Button>Plan milestone</Button>
            </PostForm>
          )}
        </Card>
      )}
      <Card title="Expenses">
        <DataTable rows={d.expenses} empty="No expenses." columns={expenseColumns(d)} />
        {d.isMember && d.status === 'active' && (
          <PostForm encType="multipart/form-data" noValidate>
            <input type="hidden" name="intent" value="expense" />
            <div className="row">
              <Field label="Day" name="day" type="date" errors={errors} />
              <Field label="What it was" name="description" errors={errors} />
              <Field label={`Amount (${d.currency})`} name="amount" errors={errors} />
            </div>
            <FileField label="Receipt (PNG, JPEG or PDF, up to 10 MB)" name="receipt" errors={errors} />
            <Button>Submit expense</Button>
          </PostForm>
        )}
      </Card>
      <Card title="Budget and scope versions">
        <ChangeOrderTable rows={d.changeOrders} />
        {d.can.manage && !['completed', 'cancelled'].includes(d.status) && (
          <PostForm noValidate>
            <input type="hidden" name="intent" value="change-order" />
            <div className="row">
              <Field label="New budget (hours)" name="budgetHours" errors={errors} />
              <Field label={`New budget (${d.currency})`} name="budget" errors={errors} />
              <Field label="New end date" name="endsOn" type="date" errors={errors} />
            </div>
            <label>
              What changes in the scope
              <TextArea name="scope" rows={2} errors={errors} />
            </label>
            <Button variant="secondary">Propose change order</Button>
          </PostForm>
        )}
      </Card>
      <Card title="Weeks">
        <DataTable rows={d.weeks} empty="No time logged yet." columns={weekColumns(d)} />
      </Card>
    </>
  )
}
