import type { Route } from './+types/invoices'
import { StatusBadge } from '#app/components/contract-view.tsx'
import { Card, EmptyState, PageHeader } from '#app/components/ui.tsx'
import { requireTenant } from '#app/lib/tenant.server.ts'
import { listInvoices } from '#services/billing/invoice-queries.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Invoices · GGML Platform' }]

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await requireTenant(context, request, params.orgSlug, 'invoices.view')
  return { organization: scope.organization.name, invoices: await listInvoices(scope) }
}

export default function PortalInvoices({ loaderData: d }: Route.ComponentProps) {
  return (
    <>
      <PageHeader
        title="Invoices"
        subtitle={`${d.organization}: royalties, fees and guarantees billed through Stripe`}
      />
      <Card>
        {d.invoices.length === 0 ? (
          <EmptyState>No invoices yet. Each report you submit is invoiced once it is rated.</EmptyState>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Invoice</th>
                <th scope="col">For</th>
                <th scope="col" className="num">
                  Amount
                </th>
                <th scope="col">Due</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="sr-only">Pay</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {d.invoices.map((i) => (
                <tr key={i.id}>
                  <td>{i.number}</td>
                  <td>{i.description}</td>
                  <td className="num">{i.amountDue}</td>
                  <td>
                    {i.dueDate ?? ''}
                    {i.overdueDays ? <div className="field-error">{i.overdueDays} days overdue</div> : null}
                  </td>
                  <td>
                    <StatusBadge status={i.status} />
                    {i.lastFailure && <div className="hint">{i.lastFailure}</div>}
                  </td>
                  <td>
                    {i.status === 'open' && i.hostedUrl && (
                      <a className="btn btn-primary btn-small" href={i.hostedUrl}>
                        Pay
                      </a>
                    )}
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
