import { z } from 'zod'
import { useActionData } from 'react-router'
import type { Route } from './+types/dashboard'
import {
  Button,
  Card,
  EmptyState,
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
        {d.queue.length === 0 ? (
          <EmptyState>Nothing waits for review.</EmptyState>
        ) : (
          <table>
            <tbody>
              {d.queue.map((b) => (
                <tr key={b.id}>
                  <td>
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
                  </td>
                  <td>
                    <p>
                      {reproductionText(b.reproduction)}
                      {b.runsPending ? ` · ${b.runsPending} run(s) pending` : ''}
                    </p>
                    <PostForm className="actions-row">
                      <input type="hidden" name="badgeId" value={b.id} />
                      <SelectField
                        label="Reproduce on"
                        name="runnerId"
                        options={[
                          { value: '', label: 'any of the partner’s runners' },
                          ...b.runners.map((r) => ({ value: r.id, label: r.name })),
                        ]}
                      />
                      <Button type="submit" name="intent" value="reproduce" variant="secondary">
                        Queue a reproduction run
                      </Button>
                    </PostForm>
                  </td>
                  <td>
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
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      <Card title="Requests without a badge">
        {d.open.length === 0 ? (
          <EmptyState>Every request holds a badge or was withdrawn.</EmptyState>
        ) : (
          <table>
            <tbody>
              {d.open.map((q) => (
                <tr key={q.id}>
                  <td>
                    {q.partner}: {q.product}
                    <div className="hint">Latest run: {q.latest}</div>
                  </td>
                  <td>
                    <PostForm className="actions-row">
                      <input type="hidden" name="requestId" value={q.id} />
                      <SelectField
                        label="Run on"
                        name="runnerId"
                        options={[
                          { value: '', label: 'any of the partner’s runners' },
                          ...q.runners.map((r) => ({ value: r.id, label: r.name })),
                        ]}
                      />
                      <Button type="submit" name="intent" value="queue-run" variant="secondary">
                        Queue a run
                      </Button>
                    </PostForm>
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
