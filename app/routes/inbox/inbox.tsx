import { Link, redirect, useActionData } from 'react-router'
import { z } from 'zod'
import { DataTable, withHint } from '#app/components/data-table.tsx'
import { DecisionForm } from '#app/components/decision-form.tsx'
import type { Route } from './+types/inbox'
import { Card, FormError, Notice, PageHeader, type FormErrors } from '#app/components/ui.tsx'
import { formAction } from '#app/lib/forms.server.ts'
import { requireActor } from '#app/lib/session.server.ts'
import { decideInboxItem, inboxDecisionMessage, inboxDecisionSchema } from '#services/inbox/decide-inbox-item.ts'
import { inboxSources, type InboxItem } from '#services/inbox/inbox-item.ts'
import { hasInbox, listInbox } from '#services/inbox/list-inbox.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Inbox · GGML Platform' }]

// ?done=<source>.<decision>, set by the action's redirect: a known pair, never text from the URL.
const doneSchema = z
  .string()
  .transform((s) => s.split('.'))
  .pipe(z.tuple([z.enum(inboxSources), z.enum(['approve', 'return'])]))

// Everything waiting for the signed-in person's decision, whatever the area (issue 29).
export async function loader({ context, request }: Route.LoaderArgs) {
  const actor = requireActor(context, request)
  if (!hasInbox(actor))
    throw new Response('Nothing can wait for your decision: your roles approve nothing.', { status: 403 })
  const done = doneSchema.safeParse(new URL(request.url).searchParams.get('done') ?? '')
  return {
    ...(await listInbox(actor)),
    done: done.success ? inboxDecisionMessage(done.data[0], done.data[1]) : null,
  }
}

// A decision goes to the use case the area's own page calls (decide-inbox-item.ts); then back here.
export async function action({ context, request }: Route.ActionArgs) {
  const actor = requireActor(context, request)
  return formAction(request, inboxDecisionSchema, async (values) => {
    const r = await decideInboxItem(actor, values)
    return redirect(`/inbox?done=${r.source}.${r.decision}`)
  })
}

const returnWord: Record<InboxItem['source'], string> = {
  timesheet: 'Return',
  expense: 'Reject',
  milestone: 'Return',
  change_order: 'Decline',
  exam_item: 'Reject',
  exam_request: 'Decline',
  adjustment: 'Reject',
  credit_grant: 'Reject',
  contract_version: 'Return to draft',
  badge: 'Revoke',
}

const approveWord: Partial<Record<InboxItem['source'], string>> = {
  milestone: 'Accept',
  adjustment: 'Approve and post',
}

function Decision({ item, errors }: { item: InboxItem; errors?: FormErrors }) {
  const approve = approveWord[item.source] ?? 'Approve'
  return (
    <DecisionForm
      fields={{ source: item.source, id: item.id, organizationId: item.organizationId }}
      errors={errors}
      formKey={`${item.source}-${item.id}`}
      blocked={item.approveBlocked && `Cannot be approved yet: ${item.approveBlocked}`}
      approve={{ value: 'approve', label: approve, ariaLabel: `${approve}: ${item.title}` }}
      giveBack={{
        value: 'return',
        label: returnWord[item.source],
        ariaLabel: `${returnWord[item.source]}: ${item.title}`,
        placeholder: 'Why',
        reasonLabel: `Why: ${item.title}`,
        maxLength: 500,
        required: true,
      }}
    />
  )
}

export default function Inbox({ loaderData: d }: Route.ComponentProps) {
  const result = useActionData<typeof action>()
  const errors = result && 'errors' in result ? result.errors : undefined
  return (
    <>
      <PageHeader
        title="Inbox"
        subtitle="Everything waiting for your decision, oldest first, decided as on the record’s own page."
      />
      {d.done && <Notice>{d.done}</Notice>}
      {/* A refusal shows in the row whose form was sent; one that names no form, here. */}
      <FormError errors={errors} />
      <Card title={`Waiting for you: ${d.total}`}>
        <DataTable
          rows={d.items}
          className="inbox"
          empty="Nothing waits for you."
          rowKey={(item) => `${item.source}:${item.id}`}
          rowProps={(item) => ({ 'data-inbox-item': `${item.source}:${item.id}` })}
          columns={[
            {
              header: 'What',
              cell: (item) => (
                <>
                  <div className="hint">{item.kind}</div>
                  {withHint(<Link to={item.href}>{item.title}</Link>, item.detail)}
                </>
              ),
            },
            { header: 'Waiting since', cell: (item) => item.since },
            { header: 'Decision', cell: (item) => <Decision item={item} errors={errors} /> },
          ]}
        />
        {d.more.map((m) => (
          <p key={m.source} className="hint">
            {m.count} more of this kind wait: <Link to={m.href}>open them on their own page</Link>.
          </p>
        ))}
      </Card>
    </>
  )
}
