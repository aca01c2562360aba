import { Form, useSearchParams } from 'react-router'
import { type Columns, DataTable } from '#app/components/data-table.tsx'
import type { Route } from './+types/audit'
import { Pager } from '#app/components/pager.tsx'
import { Button, Card, Field, PageHeader } from '#app/components/ui.tsx'
import { parseValues } from '#app/lib/forms.server.ts'
import { requireStaff } from '#app/lib/session.server.ts'
import { auditFilterSchema, listAuditEvents } from '#services/platform/audit/list-audit-events.ts'
import { pageParam } from '#services/platform/paging.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Audit log · GGML Platform' }]

export async function loader({ context, request }: Route.LoaderArgs) {
  requireStaff(context, request, 'audit_log.read')
  const params = new URL(request.url).searchParams
  const parsed = parseValues(Object.fromEntries(params), auditFilterSchema)
  if (!parsed.ok) return { events: [], page: undefined, errors: parsed.errors }
  const { rows, ...page } = await listAuditEvents(parsed.data, { page: pageParam.parse(params.get('page')) })
  return {
    errors: undefined,
    page,
    events: rows.map((e) => ({
      seq: e.seq,
      occurredAt: e.occurredAt.toISOString().replace('T', ' ').slice(0, 19),
      actor: e.actorEmail ?? 'system',
      organizationId: e.organizationId,
      action: e.action,
      target: `${e.targetType}${e.targetId ? ` ${e.targetId.slice(0, 8)}` : ''}`,
      changes: JSON.stringify(e.changes, null, 1),
      // What changed, in one line: the record's top-level fields. The values open on demand, so a page of
      // fifty events stays a page (issue 29: the demo's log was 21,000 px with every value shown).
      changed:
        e.changes && typeof e.changes === 'object' && !Array.isArray(e.changes)
          ? Object.keys(e.changes).join(', ')
          : '',
      requestId: e.requestId,
      ip: e.ip,
    })),
  }
}

type AuditRow = Route.ComponentProps['loaderData']['events'][number]

const auditColumns: Columns<AuditRow> = [
  { header: '#', className: 'num', cell: (e) => e.seq },
  { header: 'When (UTC)', cell: (e) => e.occurredAt },
  { header: 'Actor', cell: (e) => e.actor },
  { header: 'Action', cell: (e) => <code>{e.action}</code> },
  { header: 'Target', cell: (e) => e.target },
  {
    header: 'Changes',
    cell: (e) =>
      e.changed ? (
        <details>
          <summary>{e.changed}</summary>
          <pre className="small">{e.changes}</pre>
        </details>
      ) : (
        <code className="small">{e.changes}</code>
      ),
  },
  { header: 'Request', className: 'hint', cell: (e) => `${e.ip ?? ''} ${e.requestId?.slice(0, 8) ?? ''}` },
]

export default function AdminAudit({ loaderData }: Route.ComponentProps) {
  const [params] = useSearchParams()
  return (
    <>
      <PageHeader
        title="Audit log"
        subtitle="Every change, who made it, and from where. Append-only and hash-chained."
        actions={
          <a className="btn btn-secondary" href={`/admin/audit.csv?${params.toString()}`}>
            Export CSV
          </a>
        }
      />
      <Card title="Filter">
        <Form method="get" className="filters">
          <Field
            label="Action contains"
            name="action"
            defaultValue={params.get('action') ?? ''}
            errors={loaderData.errors}
          />
          <Field
            label="Actor email contains"
            name="actor"
            defaultValue={params.get('actor') ?? ''}
            errors={loaderData.errors}
          />
          <Field
            label="From"
            name="from"
            type="date"
            defaultValue={params.get('from') ?? ''}
            errors={loaderData.errors}
          />
          <Field label="To" name="to" type="date" defaultValue={params.get('to') ?? ''} errors={loaderData.errors} />
          <Button type="submit" variant="secondary">
            Apply
          </Button>
        </Form>
      </Card>
      <Card>
        {loaderData.page && <Pager {...loaderData.page} noun="events" />}
        <DataTable
          rows={loaderData.events}
          empty="No events match."
          scroll
          rowKey={(e) => e.seq}
          columns={auditColumns}
        />
        {loaderData.page && loaderData.page.pageCount > 1 && <Pager {...loaderData.page} noun="events" />}
      </Card>
    </>
  )
}
