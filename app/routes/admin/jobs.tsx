import { useActionData } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/jobs'
import { Button, Card, EmptyState, FormError, Notice, PageHeader, PostForm } from '#app/components/ui.tsx'
import { attempt, invalid, parseForm } from '#app/lib/forms.server.ts'
import { requireStaff } from '#app/lib/session.server.ts'
import { jobCounts, listFailedJobs } from '#services/jobs/failed-jobs.ts'
import { retryFailedJobAsAdmin } from '#services/admin/retry-failed-job.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Jobs · GGML Platform' }]

export async function loader({ context, request }: Route.LoaderArgs) {
  requireStaff(context, request, 'jobs.view')
  const [failed, counts] = await Promise.all([listFailedJobs(), jobCounts()])
  return { failed: failed.map((j) => ({ ...j, data: JSON.stringify(j.data).slice(0, 200) })), counts }
}

export async function action({ context, request }: Route.ActionArgs) {
  const actor = requireStaff(context, request, 'jobs.retry')
  const parsed = await parseForm(request, z.object({ jobId: z.string().min(1) }))
  if (!parsed.ok) return invalid(parsed.errors)
  return attempt(async () => {
    await retryFailedJobAsAdmin(actor, parsed.data.jobId)
    return { retried: parsed.data.jobId }
  })
}

export default function AdminJobs({ loaderData: d }: Route.ComponentProps) {
  const result = useActionData<typeof action>()
  const errors = result && 'errors' in result ? result.errors : undefined
  return (
    <>
      <PageHeader
        title="Background jobs"
        subtitle={[
          `${d.counts.waiting ?? 0} waiting`,
          `${d.counts.active ?? 0} running`,
          `${d.counts.delayed ?? 0} waiting to retry`,
          `${d.counts.completed ?? 0} completed`,
        ].join(' · ')}
      />
      {result && 'retried' in result && <Notice>Job {result.retried} is queued again.</Notice>}
      <FormError errors={errors} />
      <Card title={`Failed jobs (${d.failed.length})`}>
        {d.failed.length === 0 ? (
          <EmptyState>No failed jobs. Jobs that exhaust their retries appear here.</EmptyState>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Job</th>
                <th scope="col">Failed at</th>
                <th scope="col">Attempts</th>
                <th scope="col">Reason</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {d.failed.map((j) => (
                <tr key={j.id}>
                  <td>
                    <code>{j.name}</code>
                    <div className="hint">{j.id}</div>
                  </td>
                  <td>{j.failedAt?.replace('T', ' ').slice(0, 19)}</td>
                  <td className="num">{j.attemptsMade}</td>
                  <td>{j.failedReason}</td>
                  <td>
                    <PostForm>
                      <input type="hidden" name="jobId" value={j.id} />
                      <Button type="submit" variant="secondary" aria-label={`Retry job ${j.id}`}>
                        Retry
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
