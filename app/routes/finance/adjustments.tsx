import { useActionData } from 'react-router'
import { DataTable, withHint } from '#app/components/data-table.tsx'
import { DecisionButtons } from '#app/components/decision-form.tsx'
import type { Route } from './+types/adjustments'
import { Button, Card, EmptyState, Input, Notice, PageHeader, PostForm, Select } from '#app/components/ui.tsx'
import { z } from 'zod'
import { formAction } from '#app/lib/forms.server.ts'
import { requireStaff } from '#app/lib/session.server.ts'
import { resolveDispute } from '#services/billing/resolve-dispute.ts'
import { financeQueue } from '#services/finance/adjustment-queries.ts'
import { decideAdjustment } from '#services/ledger/decide-adjustment.ts'
import { adjustmentSchema, requestAdjustment } from '#services/ledger/request-adjustment.ts'
import { tenantScope } from '#services/tenancy/tenant-guard.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Adjustments and disputes · GGML Platform' }]

export async function loader({ context, request }: Route.LoaderArgs) {
  return financeQueue(requireStaff(context, request, 'adjustments.request'))
}

const id = z.string().trim().min(1).max(64)
const intents = z.discriminatedUnion('intent', [
  adjustmentSchema.extend({ intent: z.literal('request'), organizationId: id }),
  z.object({
    intent: z.enum(['approve', 'reject']),
    organizationId: id,
    adjustmentId: id,
    note: z.string().trim().max(500).optional(),
  }),
  z.object({
    intent: z.enum(['uphold', 'dismiss']),
    organizationId: id,
    disputeId: id,
    note: z.string().max(2000).default(''),
    amount: z.string().trim().max(40).optional(),
  }),
])

/** The permission each form on this page exercises. */
const permissionFor = {
  request: 'adjustments.request',
  approve: 'adjustments.approve',
  reject: 'adjustments.approve',
  uphold: 'adjustments.request',
  dismiss: 'adjustments.request',
} as const

export async function action({ context, request }: Route.ActionArgs) {
  const actor = requireStaff(context, request, 'adjustments.request')
  return formAction(request, intents, async (f) => {
    const scope = await tenantScope(actor, { id: f.organizationId }, permissionFor[f.intent])
    switch (f.intent) {
      case 'request':
        await requestAdjustment(scope, f)
        return { done: 'Adjustment requested: a second finance user must approve it before it posts.' }
      case 'approve':
      case 'reject':
        await decideAdjustment(scope, f.adjustmentId, f.intent, f.note || undefined)
        return { done: f.intent === 'approve' ? 'Approved and posted.' : 'Rejected.' }
      case 'uphold':
      case 'dismiss': {
        const r = await resolveDispute(scope, f.disputeId, {
          decision: f.intent === 'uphold' ? 'uphold' : 'reject',
          note: f.note,
          amount: f.amount || undefined,
        })
        return {
          done: r.adjustmentId
            ? 'Dispute upheld: the credit note waits for a second approver.'
            : 'Dispute rejected; the partner sees your reason.',
        }
      }
    }
  })
}

export default function Adjustments({ loaderData: d }: Route.ComponentProps) {
  const result = useActionData<typeof action>()
  const errors = result && 'errors' in result ? result.errors : undefined
  return (
    <>
      <PageHeader
        title="Adjustments and disputes"
        subtitle={
          <>
            Credit and debit notes post only after a second finance user approves them. The month close is on{' '}
            <a href="/finance?tab=close">Finance › Close the books</a>.
          </>
        }
      />
      {result && 'done' in result && <Notice>{result.done}</Notice>}
      <Card title="Waiting for a second approver">
        <DataTable
          rows={d.adjustments}
          headless
          empty="Nothing waits."
          columns={[
            { header: 'Adjustment', cell: (a) => withHint(`${a.partner}: ${a.kind} ${a.amount}`, a.reason) },
            {
              header: 'Decision',
              cell: (a) =>
                a.mine ? (
                  <span className="hint">You requested this; another finance user decides.</span>
                ) : (
                  <DecisionButtons
                    field="intent"
                    fields={{ adjustmentId: a.id, organizationId: a.organizationId }}
                    errors={errors}
                    formKey={a.id}
                    choices={[
                      { value: 'approve', label: 'Approve and post' },
                      { value: 'reject', label: 'Reject' },
                    ]}
                  />
                ),
            },
          ]}
        />
      </Card>
      <Card title="Open disputes">
        {d.disputes.length === 0 ? (
          <EmptyState>No open disputes.</EmptyState>
        ) : (
          d.disputes.map((x) => (
            <div key={x.id} className="posting">
              <p>
                <strong>{x.partner}</strong>: {x.amount} disputed{x.chargeLabel ? ` (${x.chargeLabel})` : ''}.{' '}
                {x.reason}
              </p>
              <ol className="history">
                {x.messages.map((m) => (
                  <li key={m.id}>
                    {m.createdAt.slice(0, 16).replace('T', ' ')} · {m.authorEmail}: {m.body}
                  </li>
                ))}
              </ol>
              <PostForm className="actions-row" errors={errors} formKey={`dispute-${x.id}`}>
                <input type="hidden" name="disputeId" value={x.id} />
                <input type="hidden" name="organizationId" value={x.organizationId} />
                <label>
                  Decision, for the partner
                  <Input name="note" required />
                </label>
                <label>
                  Credit (optional, default the disputed amount)
                  <Input name="amount" inputMode="decimal" />
                </label>
                <Button type="submit" name="intent" value="uphold">
                  Uphold
                </Button>
                <Button type="submit" name="intent" value="dismiss" variant="secondary">
                  Reject
                </Button>
              </PostForm>
            </div>
          ))
        )}
      </Card>
      <Card title="Request an adjustment">
        <PostForm errors={errors} formKey="request">
          <input type="hidden" name="intent" value="request" />
          <div className="row">
            <label>
              Partner
              <Select name="organizationId">
                {d.partners.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </Select>
            </label>
            <label>
              Kind
              <Select name="direction">
                <option value="credit">Credit note (owes less)</option>
                <option value="debit">Debit note (owes more)</option>
              </Select>
            </label>
            <label>
              Currency
              <Select name="currency">
                <option>USD</option>
                <option>EUR</option>
                <option>GBP</option>
              </Select>
            </label>
            <label>
              Amount
              <Input name="amount" inputMode="decimal" />
            </label>
          </div>
          <label>
            Reason
            <Input name="reason" />
          </label>
          <Button type="submit">Request</Button>
        </PostForm>
      </Card>
    </>
  )
}
