import { Link, redirect, useActionData } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/inbox'
import { Button, Card, EmptyState, FormError, Notice, PageHeader, PostForm } from '#app/components/ui.tsx'
import { attempt, invalid, parseValues } from '#app/lib/forms.server.ts'
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
  const parsed = parseValues(Object.fromEntries(await request.formData()), inboxDecisionSchema)
  if (!parsed.ok) return invalid(parsed.errors)
  return attempt(async () => {
    const r = await decideInboxItem(actor, parsed.data)
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

function Decision({ item }: { item: InboxItem }) {
  const hidden = (
    <>
      <input type="hidden" name="source" value={item.source} />
      <input type="hidden" name="id" value={item.id} />
      {item.organizationId && <input type="hidden" name="organizationId" value={item.organizationId} />}
    </>
  )
  return (
    <div className="actions-row">
      {item.approveBlocked ? (
        <span className="hint">Cannot be approved yet: {item.approveBlocked}</span>
      ) : (
        <PostForm>
          {hidden}
          <input type="hidden" name="decision" value="approve" />
          <Button aria-label={`${approveWord[item.source] ?? 'Approve'}: ${item.title}`}>
            {approveWord[item.source] ?? 'Approve'}
          </Button>
        </PostForm>
      )}
      <PostForm className="row">
        {hidden}
        <input type="hidden" name="decision" value="return" />
        <input name="reason" placeholder="Why" aria-label={`Why: ${item.title}`} maxLength={500} required />
        <Button variant="secondary" aria-label={`${returnWord[item.source]}: ${item.title}`}>
          {returnWord[item.source]}
        </Button>
      </PostForm>
    </div>
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
      <FormError errors={errors} />
      {errors?.fieldErrors?.reason && (
        <div className="alert alert-error" role="alert">
          {errors.fieldErrors.reason.join(' ')}
        </div>
      )}
      <Card title={`Waiting for you: ${d.total}`}>
        {d.items.length === 0 ? (
          <EmptyState>Nothing waits for you.</EmptyState>
        ) : (
          <table className="inbox">
            <thead>
              <tr>
                <th scope="col">What</th>
                <th scope="col">Waiting since</th>
                <th scope="col">Decision</th>
              </tr>
            </thead>
            <tbody>
              {d.items.map((item) => (
                <tr key={`${item.source}:${item.id}`} data-inbox-item={`${item.source}:${item.id}`}>
                  <td>
                    <div className="hint">{item.kind}</div>
                    <Link to={item.href}>{item.title}</Link>
                    {item.detail && <div className="hint">{item.detail}</div>}
                  </td>
                  <td>{item.since}</td>
                  <td>
                    <Decision item={item} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {d.more.map((m) => (
          <p key={m.source} className="hint">
            {m.count} more of this kind wait: <Link to={m.href}>open them on their own page</Link>.
          </p>
        ))}
      </Card>
    </>
  )
}
