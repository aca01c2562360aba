import { Link } from 'react-router'
import type { Route } from './+types/contracts'
import { StatusBadge } from '#app/components/contract-view.tsx'
import { Card, EmptyState, PageHeader } from '#app/components/ui.tsx'
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
        {d.contracts.length === 0 ? (
          <EmptyState>No contracts yet. Your ggml partner manager prepares them with you.</EmptyState>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Contract</th>
                <th scope="col">Agreement</th>
                <th scope="col">Term</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {d.contracts.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link to={`/portal/${d.organization.slug}/contracts/${c.id}`}>{c.title}</Link>
                    <div className="hint">{c.number}</div>
                  </td>
                  <td>{c.kind}</td>
                  <td>{c.term}</td>
                  <td>
                    <StatusBadge status={c.status} />
                    {c.awaitingSignature && <div className="hint">Waiting for signature</div>}
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
