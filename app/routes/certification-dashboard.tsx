import { useActionData } from 'react-router'
import type { Route } from './+types/certification-dashboard'
import { Button, Card, EmptyState, FormError, Notice, PageHeader, PostForm } from '../components/ui.tsx'
import { fromAppError } from '../lib/forms.server.ts'
import { requireStaff } from '../lib/session.server.ts'
import { badgeLabel } from '#services/certification/badges.ts'
import { reviewBadge, reviewQueue } from '#services/certification/certification-queries.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Certification · GGML Platform' }]

export async function loader({ context, request }: Route.LoaderArgs) {
  const queue = await reviewQueue(requireStaff(context, request, 'certification.view'))
  return { queue: queue.map((b) => ({ ...b, label: badgeLabel(b.summary) })) }
}

export async function action({ context, request }: Route.ActionArgs) {
  const actor = requireStaff(context, request, 'certification.view')
  const f = Object.fromEntries(await request.formData()) as Record<string, string>
  try {
    await reviewBadge(actor, f.badgeId ?? '', f.intent === 'approve' ? 'approve' : 'reject', f.comment ?? '')
    return { done: f.intent === 'approve' ? 'Approved: the badge now says “reviewed”.' : 'Rejected: the badge is revoked.' }
  } catch (e) {
    return fromAppError(e)
  }
}

export default function CertificationDashboard({ loaderData: d }: Route.ComponentProps) {
  const result = useActionData<typeof action>()
  return (
    <>
      <PageHeader title="Certification" subtitle="Runner-verified results waiting for a certification engineer." />
      {result && 'done' in result && <Notice>{result.done}</Notice>}
      <FormError errors={result && 'errors' in result ? result.errors : undefined} />
      <Card title="Review queue">
        {d.queue.length === 0 ? <EmptyState>Nothing waits for review.</EmptyState> : (
          <table><tbody>{d.queue.map((b) => (
            <tr key={b.id}>
              <td><a href={`/badges/${b.id}`}>{b.partner}: {b.product}</a><div className="hint">{b.label}</div></td>
              <td>
                <PostForm className="actions-row">
                  <input type="hidden" name="badgeId" value={b.id} />
                  <label>Comment<input name="comment" /></label>
                  <Button type="submit" name="intent" value="approve">Approve</Button>
                  <Button type="submit" name="intent" value="reject" variant="secondary">Reject</Button>
                </PostForm>
              </td>
            </tr>
          ))}</tbody></table>
        )}
      </Card>
    </>
  )
}
