import { Link } from 'react-router'
import type { Route } from './+types/approvals'
import { Card, EmptyState, PageHeader } from '#app/components/ui.tsx'
import { requireStaff } from '#app/lib/session.server.ts'
import { approvalQueue } from '#services/contracts/contract-queries.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Contract approvals · GGML Platform' }]

export async function loader({ context, request }: Route.LoaderArgs) {
  return { queue: await approvalQueue(requireStaff(context, request, 'contracts.approve')) }
}

export default function Approvals({ loaderData: d }: Route.ComponentProps) {
  return (
    <>
      <PageHeader title="Approval queue" subtitle="Terms outside the standard price book wait here for finance." />
      <Card>
        {d.queue.length === 0 ? (
          <EmptyState>Nothing waits for approval.</EmptyState>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Contract</th>
                <th scope="col">Partner</th>
                <th scope="col">Outside the price book</th>
                <th scope="col">Submitted</th>
              </tr>
            </thead>
            <tbody>
              {d.queue.map((q) => (
                <tr key={q.versionId}>
                  <td>
                    <Link to={`/contracts/${q.contractId}`}>{q.title}</Link>
                    <div className="hint">
                      {q.number} v{q.version}
                    </div>
                  </td>
                  <td>{q.partner}</td>
                  <td>
                    <ul>
                      {q.exceptions.map((e) => (
                        <li key={e}>{e}</li>
                      ))}
                    </ul>
                  </td>
                  <td>{q.submittedAt?.slice(0, 10)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </>
  )
}
