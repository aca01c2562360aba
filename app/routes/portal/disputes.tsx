import { z } from 'zod'
import { useActionData } from 'react-router'
import type { Route } from './+types/disputes'
import { StatusBadge } from '#app/components/contract-view.tsx'
import { Button, Card, EmptyState, Input, Notice, PageHeader, PostForm, Select, TextArea } from '#app/components/ui.tsx'
import { attempt, invalid, parseValues, stringFields, uploadedFile } from '#app/lib/forms.server.ts'
import { requireTenant } from '#app/lib/tenant.server.ts'
import { listDisputes } from '#services/billing/list-disputes.ts'
import { addDisputeMessage } from '#services/billing/add-dispute-message.ts'
import { openDispute } from '#services/billing/open-dispute.ts'
import { listInvoices } from '#services/billing/list-invoices.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Disputes · GGML Platform' }]

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await requireTenant(context, request, params.orgSlug, 'disputes.view')
  return {
    disputes: await listDisputes(scope),
    invoices: (await listInvoices(scope, { status: 'outstanding' })).invoices,
  }
}

const intents = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('reply'), disputeId: z.string().trim().min(1).max(64), body: z.string().max(10_000) }),
  z.object({
    intent: z.literal('open'),
    invoiceId: z.string().trim().max(64).default(''),
    chargeLabel: z.string().trim().max(300).optional(),
    amount: z.string().trim().max(40).default(''),
    reason: z.string().max(10_000).default(''),
  }),
])

export async function action({ context, request, params }: Route.ActionArgs) {
  const scope = await requireTenant(context, request, params.orgSlug, 'disputes.view')
  const form = await request.formData()
  // The form that opens a dispute has no intent field.
  const parsed = parseValues({ intent: 'open', ...stringFields(form) }, intents)
  if (!parsed.ok) return invalid(parsed.errors)
  const f = parsed.data
  return attempt(async () => {
    if (f.intent === 'reply') {
      await addDisputeMessage(scope, f.disputeId, f.body, await uploadedFile(form, 'evidence'))
      return { done: 'Your message is added to the dispute.' }
    }
    await openDispute(
      scope,
      { invoiceId: f.invoiceId, chargeLabel: f.chargeLabel || undefined, amount: f.amount, reason: f.reason },
      await uploadedFile(form, 'evidence'),
    )
    return { done: 'Dispute opened. The disputed amount is held out of payment reminders until finance decides.' }
  })
}

export default function Disputes({ loaderData: d }: Route.ComponentProps) {
  const result = useActionData<typeof action>()
  const errors = result && 'errors' in result ? result.errors : undefined
  return (
    <>
      <PageHeader
        title="Disputes"
        subtitle="Question a charge: finance answers here, and an upheld dispute becomes a credit note."
      />
      {result && 'done' in result && <Notice>{result.done}</Notice>}
      <Card title="Open a dispute">
        {d.invoices.length === 0 ? (
          <EmptyState>There is no open invoice to dispute.</EmptyState>
        ) : (
          <PostForm encType="multipart/form-data" errors={errors}>
            <div className="row">
              <label>
                Invoice
                <Select name="invoiceId">
                  {d.invoices.map((i) => (
                    <option key={i.id} value={i.id}>
                      {i.number} · {i.amountDue} · {i.description}
                    </option>
                  ))}
                </Select>
              </label>
              <label>
                Amount disputed
                <Input name="amount" inputMode="decimal" />
              </label>
            </div>
            <label>
              Which charge (optional)
              <Input name="chargeLabel" placeholder="e.g. Per-device royalty, band “Mainstream”" />
            </label>
            <label>
              What is wrong
              <TextArea name="reason" rows={3} />
            </label>
            <label>
              Evidence (optional, up to 10 MB)
              <Input type="file" name="evidence" />
            </label>
            <Button type="submit">Open dispute</Button>
          </PostForm>
        )}
      </Card>
      {d.disputes.map((x) => (
        <Card key={x.id} title={`${x.amount} disputed${x.chargeLabel ? `: ${x.chargeLabel}` : ''}`}>
          <p>
            <StatusBadge status={x.status} /> {x.resolution}
          </p>
          <ol className="history">
            {x.messages.map((m) => (
              <li key={m.id}>
                <time>{m.createdAt.slice(0, 16).replace('T', ' ')}</time> · {m.authorEmail}: {m.body}
                {m.evidenceName && (
                  <span className="hint">
                    {' '}
                    (evidence: {m.evidenceName}, SHA-256 {m.evidenceSha256?.slice(0, 12)}…)
                  </span>
                )}
              </li>
            ))}
          </ol>
          {x.status === 'open' && (
            <PostForm encType="multipart/form-data">
              <input type="hidden" name="intent" value="reply" />
              <input type="hidden" name="disputeId" value={x.id} />
              <label>
                Add to the thread
                <textarea name="body" rows={2} />
              </label>
              <Button type="submit" variant="secondary">
                Send
              </Button>
            </PostForm>
          )}
        </Card>
      ))}
    </>
  )
}
