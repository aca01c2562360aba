import { Link } from 'react-router'
import { type Columns, DataTable, withHint } from '#app/components/data-table.tsx'
import type { Route } from './+types/approvals'
import { Card, PageHeader } from '#app/components/ui.tsx'
import { requireStaff } from '#app/lib/session.server.ts'
import { approvalQueue } from '#services/contracts/contract-queries.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Contract approvals · GGML Platform' }]

export async function loader({ context, request }: Route.LoaderArgs) {
  return { queue: await approvalQueue(requireStaff(context, request, 'contracts.approve')) }
}

const approvalColumns: Columns<Route.ComponentProps['loaderData']['queue'][number]> = [
  {
    header: 'Contract',
    cell: (q) => withHint(<Link to={`/contracts/${q.contractId}`}>{q.title}</Link>, `${q.number} v${q.version}`),
  },
  { header: 'Partner', cell: (q) => q.partner },
  {
    header: 'Outside the price book',
    cell: (q) => (
      <ul>
        {q.exceptions.map((e) => (
          <li key={e}>{e}</li>
        ))}
      </ul>
    ),
  },
  { header: 'Submitted', cell: (q) => q.submittedAt?.slice(0, 10) },
]

export default function Approvals({ loaderData: d }: Route.ComponentProps) {
  return (
    <>
      <PageHeader title="Approval queue" subtitle="Terms outside the standard price book wait here for finance." />
      <Card>
        <DataTable
          rows={d.queue}
          empty="Nothing waits for approval."
          rowKey={(q) => q.versionId}
          columns={approvalColumns}
        />
      </Card>
    </>
  )
}
