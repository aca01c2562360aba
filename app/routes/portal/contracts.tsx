import { Link } from 'react-router'
import { DataTable, withHint } from '#app/components/data-table.tsx'
import type { Route } from './+types/contracts'
import { StatusBadge } from '#app/components/contract-view.tsx'
import { Card, PageHeader } from '#app/components/ui.tsx'
import { requireTenant } from '#app/lib/tenant.server.ts'
import { listContracts } from '#services/contracts/contract-queries.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Contracts · GGML Platform' }]

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await requireTenant(context, request, params.orgSlug, 'contracts.view')
  return {
    organization: { name: scope.organization.name, slug: scope.organization.slug },
    contracts: await listContracts(scope),
  }
}

export default function PortalContracts({ loaderData: d }: Route.ComponentProps) {
  return (
    <>
      <PageHeader title="Contracts" subtitle={`${d.organization.name}: your license agreements with ggml`} />
      <Card>
        <DataTable
          rows={d.contracts}
          empty="No contracts yet. Your ggml partner manager prepares them with you."
          columns={[
            {
              header: 'Contract',
              cell: (c) =>
                withHint(<Link to={`/portal/${d.organization.slug}/contracts/${c.id}`}>{c.title}</Link>, c.number),
            },
            { header: 'Agreement', cell: (c) => c.kind },
            { header: 'Term', cell: (c) => c.term },
            {
              header: 'Status',
              cell: (c) => withHint(<StatusBadge status={c.status} />, c.awaitingSignature && 'Waiting for signature'),
            },
          ]}
        />
      </Card>
    </>
  )
}
