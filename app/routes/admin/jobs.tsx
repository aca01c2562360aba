import { useActionData } from 'react-router'
import { z } from 'zod'
import { DataTable, withHint } from '#app/components/data-table.tsx'
import { RowAction } from '#app/components/row-actions.tsx'
import type { Route } from './+types/jobs'
import { Card, FormError, Notice, PageHeader } from '#app/components/ui.tsx'
import { attempt, invalid, parseForm } from '#app/lib/forms.server.ts'
import { requireStaff } from '#app/lib/session.server.ts'
import { jobCounts, listFailedJobs } from '#services/platform/jobs/failed-jobs.ts'
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
        <DataTable
          rows={d.failed}
          empty="No failed jobs. Jobs that exhaust their retries appear here."
          columns={[
            { header: 'Job', cell: (j) => withHint(<code>{j.name}</code>, j.id) },
            { header: 'Failed at', cell: (j) => j.failedAt?.replace('T', ' ').slice(0, 19) },
            { header: 'Attempts', cell: (j) => j.attemptsMade, className: 'num' },
            { header: 'Reason', cell: (j) => j.failedReason },
            {
              header: 'Actions',
              hideHeader: true,
              cell: (j) => <RowAction fields={{ jobId: j.id }} ariaLabel={`Retry job ${j.id}`} label="Retry" />,
            },
          ]}
        />
      </Card>
    </>
  )
}
