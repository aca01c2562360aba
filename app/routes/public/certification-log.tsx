import { type Columns, DataTable, withHint } from '#app/components/data-table.tsx'
import type { Route } from './+types/certification-log'
import { Card, PageHeader } from '#app/components/ui.tsx'
import { publicLog } from '#services/certification/public-log.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Certification log: Powered by GGML' }]

// Public: every submission, accepted or not, hash-chained so none can be hidden or rewritten.
export async function loader() {
  return publicLog()
}

const entryColumns: Columns<Route.ComponentProps['loaderData']['entries'][number]> = [
  { header: '#', className: 'num', cell: (e) => e.seq },
  { header: 'When (UTC)', cell: (e) => e.at.slice(0, 16).replace('T', ' ') },
  { header: 'Product', cell: (e) => withHint(e.product, e.partner) },
  { header: 'Outcome', cell: (e) => e.outcome },
  { header: 'Result SHA-256', cell: (e) => <code className="small">{e.payloadSha256.slice(0, 16)}…</code> },
]

export default function CertificationLog({ loaderData: d }: Route.ComponentProps) {
  return (
    <div className="public-page">
      <PageHeader
        title="Certification log"
        subtitle={
          <>
            Every result ever uploaded, and every withdrawal, in order. Chain{' '}
            {d.intact ? 'intact' : `BROKEN at #${d.brokenAt}`}; head <code className="small">{d.head}</code>
          </>
        }
      />
      <Card>
        <DataTable rows={d.entries} empty="No submissions yet." rowKey={(e) => e.seq} columns={entryColumns} />
      </Card>
    </div>
  )
}
