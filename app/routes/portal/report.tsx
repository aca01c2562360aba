import { Link, useSearchParams } from 'react-router'
import { type Columns, DataTable } from '#app/components/data-table.tsx'
import { ChargeLines } from '#app/components/charge-lines.tsx'
import type { Route } from './+types/report'
import { Card, EmptyState, Notice, PageHeader } from '#app/components/ui.tsx'
import { requireTenant } from '#app/lib/tenant.server.ts'
import { getReportDetail } from '#services/royalties/report-queries.ts'

export const meta: Route.MetaFunction = ({ data }) => [{ title: `Report ${data?.report.period ?? ''} · GGML Platform` }]

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await requireTenant(context, request, params.orgSlug, 'royalties.view')
  const report = await getReportDetail(scope, params.reportId).catch(() => {
    throw new Response('No such report, or you do not have access to it.', { status: 404 })
  })
  return { orgSlug: scope.organization.slug, report }
}

const usageColumns: Columns<Route.ComponentProps['loaderData']['report']['usage'][number]> = [
  { header: 'Price band', cell: (u) => u.band },
  { header: 'Device class', cell: (u) => u.deviceClass },
  { header: 'Lines', numeric: true, cell: (u) => u.lines },
  { header: 'Units', numeric: true, cell: (u) => u.units },
  { header: 'AI-related revenue', numeric: true, cell: (u) => u.revenue },
]

export default function PortalReport({ loaderData: { report: r, orgSlug } }: Route.ComponentProps) {
  const [params] = useSearchParams()
  const lineCount = r.lineCount.toLocaleString('en-US')
  return (
    <>
      <PageHeader
        title={`Royalty report ${r.period}`}
        subtitle={
          <>
            {r.contract.label} · revision {r.revision}
            {r.status === 'superseded' ? ' (superseded by a restatement)' : ''} · {lineCount} lines · {r.source}
          </>
        }
      />
      {params.get('duplicate') && (
        <Notice>This report was already submitted with the same content; nothing was posted twice.</Notice>
      )}
      <Card title="What you reported">
        <DataTable rows={r.usage} rowKey={(_, k) => k} columns={usageColumns} />
      </Card>
      <Card title="Charges, and how each was computed">
        {r.charges.length === 0 ? (
          <EmptyState>
            {r.status === 'superseded'
              ? 'A restatement replaced this report; see the current revision.'
              : 'Nothing to charge for this period.'}
          </EmptyState>
        ) : (
          <ChargeLines lines={r.charges} totalLabel={`Charged for ${r.period}`} total={r.total} />
        )}
      </Card>
      <Card title="Ledger postings">
        {r.postings.map((e) => (
          <div key={e.id} className="posting">
            <p>
              <strong>{e.description}</strong> · {e.kind.replaceAll('_', ' ')} · dated {e.effectiveDate}
            </p>
            <DataTable
              rows={e.lines}
              rowKey={(_, k) => k}
              columns={[
                { header: 'Account', cell: (l) => l.account },
                { header: 'Memo', cell: (l) => l.memo },
                { header: 'Debit', numeric: true, cell: (l) => l.debit },
                { header: 'Credit', numeric: true, cell: (l) => l.credit },
              ]}
            />
          </div>
        ))}
      </Card>
      {r.revisions.length > 1 && (
        <Card title="Revisions of this period">
          <ul>
            {r.revisions.map((x) => (
              <li key={x.id}>
                <Link to={`/portal/${orgSlug}/reports/${x.id}`}>Revision {x.revision}</Link>
                {` · ${x.status} · ${x.lines} lines · ${x.at.slice(0, 10)}`}
              </li>
            ))}
          </ul>
        </Card>
      )}
      <p className="hint">
        Content fingerprint (SHA-256): <code className="small">{r.contentSha256}</code>
      </p>
    </>
  )
}
