import { Form, Link } from 'react-router'
import type { Route } from './+types/invoices'
import { StatusBadge } from '#app/components/contract-view.tsx'
import { Button, Card, EmptyState, PageHeader, Stat } from '#app/components/ui.tsx'
import { requireTenant } from '#app/lib/tenant.server.ts'
import { listInvoices } from '#services/billing/list-invoices.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Invoices · GGML Platform' }]

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await requireTenant(context, request, params.orgSlug, 'invoices.view')
  // Unknown filter values fall back to the defaults (the query schema's catch), never an error page.
  const list = await listInvoices(scope, Object.fromEntries(new URL(request.url).searchParams))
  return {
    organization: { name: scope.organization.name, slug: scope.organization.slug },
    canEditBillingDetails: scope.granted.has('billing_details.edit'),
    query: list.query,
    invoices: list.invoices,
    currencies: list.currencies,
    totals: list.totals.map((t) => ({
      currency: t.currency,
      outstanding: t.outstanding,
      overdue: t.overdue,
      openCount: t.openCount,
      overdueCount: t.overdueCount,
    })),
  }
}

const sorts = [
  ['issued', 'Issued'],
  ['due', 'Due date'],
  ['amount', 'Amount'],
  ['remaining', 'Left to pay'],
] as const

export default function PortalInvoices({ loaderData: d }: Route.ComponentProps) {
  const q = d.query
  const base = `/portal/${d.organization.slug}/invoices`
  return (
    <>
      <PageHeader
        title="Invoices"
        subtitle={`${d.organization.name}: royalties, fees and guarantees billed through Stripe`}
        actions={
          d.canEditBillingDetails ? (
            <Link to={`/portal/${d.organization.slug}/billing-details`}>Billing details</Link>
          ) : undefined
        }
      />
      <div className="grid">
        {d.totals.length === 0 ? (
          <Stat label="Outstanding" value="Nothing" hint="Every invoice is paid." />
        ) : (
          d.totals.map((t) => (
            <Stat
              key={t.currency}
              label={`Outstanding (${t.currency})`}
              value={t.outstanding}
              hint={`${t.openCount} open${t.overdueCount ? ` · ${t.overdue} overdue on ${t.overdueCount}` : ''}`}
            />
          ))
        )}
      </div>
      <Card>
        <Form method="get" className="row filters">
          <label>
            Show
            <select name="status" defaultValue={q.status}>
              <option value="all">All invoices</option>
              <option value="outstanding">Outstanding</option>
              <option value="overdue">Overdue</option>
              <option value="paid">Paid</option>
              <option value="void">Void</option>
            </select>
          </label>
          {d.currencies.length > 1 && (
            <label>
              Currency
              <select name="currency" defaultValue={q.currency ?? ''}>
                <option value="">All</option>
                {d.currencies.map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
            </label>
          )}
          <label>
            Number or description
            <input name="q" type="search" defaultValue={q.q ?? ''} />
          </label>
          <label>
            Sort by
            <select name="sort" defaultValue={q.sort}>
              {sorts.map(([v, l]) => (
                <option key={v} value={v}>
                  {l}
                </option>
              ))}
            </select>
          </label>
          <label>
            Order
            <select name="order" defaultValue={q.order}>
              <option value="desc">Newest / largest first</option>
              <option value="asc">Oldest / smallest first</option>
            </select>
          </label>
          <Button type="submit" variant="secondary">
            Apply
          </Button>
        </Form>
        {d.invoices.length === 0 ? (
          <EmptyState>
            {q.status === 'all' && !q.q
              ? 'No invoices yet. Each report you submit is invoiced once it is rated.'
              : 'No invoice matches these filters.'}{' '}
            {(q.status !== 'all' || q.q) && <Link to={base}>Show all invoices</Link>}
          </EmptyState>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Invoice</th>
                <th scope="col">For</th>
                <th scope="col">Issued</th>
                <th scope="col" className="num">
                  Amount
                </th>
                <th scope="col" className="num">
                  Left to pay
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
                  <td>
                    <Link to={`${base}/${i.id}`}>{i.number}</Link>
                  </td>
                  <td>{i.description}</td>
                  <td className="nowrap">{i.issuedOn}</td>
                  <td className="num">
                    {i.amountDue}
                    {i.credited && <div className="hint">credited {i.credited}</div>}
                  </td>
                  <td className="num">{i.remaining}</td>
                  <td className="nowrap">
                    {i.dueDate ?? ''}
                    {i.overdueDays ? <div className="field-error">{i.overdueDays} days overdue</div> : null}
                  </td>
                  <td>
                    <StatusBadge status={i.creditedInFull ? 'credited_in_full' : i.status} />
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
