import { z } from 'zod'
import { useActionData } from 'react-router'
import { DataTable, withHint } from '#app/components/data-table.tsx'
import type { Route } from './+types/dashboard'
import {
  Button,
  Card,
  FormError,
  Notice,
  PageHeader,
  PostForm,
  SelectField,
  signedPercent,
} from '#app/components/ui.tsx'
import { attempt, invalid, parseValues } from '#app/lib/forms.server.ts'
import { requireStaff } from '#app/lib/session.server.ts'
import { badgeLabel } from '#services/certification/badges.ts'
import { reviewBadge } from '#services/certification/review-badge.ts'
import { openRequests } from '#services/certification/open-requests.ts'
import { queueReproduction } from '#services/certification/queue-reproduction.ts'
import { queueRunForRequest } from '#services/certification/queue-run-for-request.ts'
import { reviewQueue } from '#services/certification/review-queue.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Certification · GGML Platform' }]

export async function loader({ context, request }: Route.LoaderArgs) {
  const actor = requireStaff(context, request, 'certification.view')
  const [queue, open] = await Promise.all([reviewQueue(actor), openRequests(actor)])
  return { queue: queue.map((b) => ({ ...b, label: badgeLabel(b.summary) })), open }
}

const id = z.string().trim().min(1).max(64)
const runner = z.string().trim().max(64).optional()
const intents = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('queue-run'), requestId: id, runnerId: runner }),
  z.object({ intent: z.literal('reproduce'), badgeId: id, runnerId: runner }),
  z.object({ intent: z.enum(['approve', 'reject']), badgeId: id, comment: z.string().max(2000).default('') }),
])

export async function action({ context, request }: Route.ActionArgs) {
  const actor = requireStaff(context, request, 'certification.view')
  const parsed = parseValues(Object.fromEntries(await request.formData()), intents)
  if (!parsed.ok) return invalid(parsed.errors)
  const f = parsed.data
  return attempt(async () => {
    if (f.intent === 'queue-run') {
      await queueRunForRequest(actor, f.requestId, f.runnerId || undefined)
      return { done: 'Run queued: the partner’s runner picks it up on its next poll.' }
    }
    if (f.intent === 'reproduce') {
      await queueReproduction(actor, f.badgeId, f.runnerId || undefined)
      return { done: 'Reproduction run queued: the partner’s runner picks it up on its next poll.' }
    }
    await reviewBadge(actor, f.badgeId, f.intent, f.comment)
    return {
      done:
        f.intent === 'approve' ? 'Approved: the badge is public at its new level.' : 'Rejected: the badge is revoked.',
    }
  })
}

function reproductionText(r: { ppDelta: number; tgDelta: number; within: boolean } | null): string {
  if (!r) return 'No second run yet: approving needs one within 5%.'
  return (
    `Closest second run: pp ` +
    `${signedPercent(r.ppDelta)}, tg ${signedPercent(r.tgDelta)}: ` +
    `${r.within ? 'reproduced within 5%' : 'not within 5%'}.`
  )
}

type Queued = Route.ComponentProps['loaderData']['queue'][number]

/** The badge under review: what it is, whether it is held, and the checks that flagged it. */
function QueuedBadge({ badge: b }: { badge: Queued }) {
  return (
    <>
      <a href={`/badges/${b.id}`}>
        {b.partner}: {b.product}
      </a>
      <div className="hint">{b.label}</div>
      {b.held && <p className="error">Held for review: not public until approved.</p>}
      {b.flags.length > 0 && (
        <ul className="flags" aria-label="Flagged for review">
          {b.flags.map((f, i) => (
            <li key={`${i}-${f.check}`}>
              <strong>{f.check}</strong>: {f.detail}
            </li>
          ))}
        </ul>
      )}
    </>
  )
}

/** Queue a run for a badge or a request, on a chosen runner of the partner's or on any of them. */
function RunOnForm(props: {
  field: 'badgeId' | 'requestId'
  id: string
  runners: { id: string; name: string }[]
  choose: string
  intent: string
  children: string
}) {
  return (
    <PostForm className="actions-row">
      <input type="hidden" name={props.field} value={props.id} />
      <SelectField
        label={props.choose}
        name="runnerId"
        options={[
          { value: '', label: 'any of the partner’s runners' },
          ...props.runners.map((r) => ({ value: r.id, label: r.name })),
        ]}
      />
      <Button type="submit" name="intent" value={props.intent} variant="secondary">
        {props.children}
      </Button>
    </PostForm>
  )
}

/** Approve (as self-measured or lab-verified) or reject, with an optional comment. */
function BadgeDecision({ badge: b }: { badge: Queued }) {
  return (
    <>
      <PostForm className="actions-row">
        <input type="hidden" name="badgeId" value={b.id} />
        <label>
          Comment
          <input name="comment" />
        </label>
        <Button
          type="submit"
          name="intent"
          value="approve"
          disabled={!b.approval.allowed}
          aria-describedby={`approval-${b.id}`}
        >
          {b.approval.level === 'lab-verified' ? 'Approve as lab-verified' : 'Approve'}
        </Button>
        <Button type="submit" name="intent" value="reject" variant="secondary">
          Reject
        </Button>
      </PostForm>
      <p className="hint" id={`approval-${b.id}`}>
        {b.approval.allowed ? `Approving: ${b.approval.reason}.` : b.approval.reason}
      </p>
    </>
  )
}

export default function CertificationDashboard({ loaderData: d }: Route.ComponentProps) {
  const result = useActionData<typeof action>()
  return (
    <>
      <PageHeader
        title="Certification"
        subtitle="Held and self-measured badges waiting for a certification engineer; flagged ones first."
      />
      {result && 'done' in result && <Notice>{result.done}</Notice>}
      <FormError errors={result && 'errors' in result ? result.errors : undefined} />
      <Card title="Review queue">
        <DataTable
          rows={d.queue}
          headless
          empty="Nothing waits for review."
          columns={[
            { header: 'Badge', cell: (b) => <QueuedBadge badge={b} /> },
            {
              header: 'Reproduction',
              cell: (b) => (
                <>
                  <p>
                    {reproductionText(b.reproduction)}
                    {b.runsPending ? ` · ${b.runsPending} run(s) pending` : ''}
                  </p>
                  <RunOnForm field="badgeId" id={b.id} runners={b.runners} choose="Reproduce on" intent="reproduce">
                    Queue a reproduction run
                  </RunOnForm>
                </>
              ),
            },
            { header: 'Decision', cell: (b) => <BadgeDecision badge={b} /> },
          ]}
        />
      </Card>
      <Card title="Requests without a badge">
        <DataTable
          rows={d.open}
          headless
          empty="Every request holds a badge or was withdrawn."
          columns={[
            { header: 'Request', cell: (q) => withHint(`${q.partner}: ${q.product}`, `Latest run: ${q.latest}`) },
            {
              header: 'Run',
              cell: (q) => (
                <RunOnForm field="requestId" id={q.id} runners={q.runners} choose="Run on" intent="queue-run">
                  Queue a run
                </RunOnForm>
              ),
            },
          ]}
        />
      </Card>
    </>
  )
}
