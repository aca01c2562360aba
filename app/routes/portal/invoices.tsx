import { Form, Link } from 'react-router'
import { DataTable, withHint } from '#app/components/data-table.tsx'
import { KpiCards } from '#app/components/kpi-cards.tsx'
import type { Route } from './+types/invoices'
import { StatusBadge } from '#app/components/contract-view.tsx'
import { Button, Card, EmptyState, PageHeader } from '#app/components/ui.tsx'
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
      <KpiCards
        figures={
          d.totals.length === 0
            ? [{ label: 'Outstanding', value: 'Nothing', hint: 'Every invoice is paid.' }]
            : d.totals.map((t) => ({
                label: `Outstanding (${t.currency})`,
                value: t.outstanding,
                hint: `${t.openCount} open${t.overdueCount ? ` · ${t.overdue} overdue on ${t.overdueCount}` : ''}`,
              }))
        }
      />
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
          <DataTable
            rows={d.invoices}
            columns={[
              { header: 'Invoice', cell: (i) => <Link to={`${base}/${i.id}`}>{i.number}</Link> },
              { header: 'For', cell: (i) => i.description },
              { header: 'Issued', className: 'nowrap', cell: (i) => i.issuedOn },
              {
                header: 'Amount',
                numeric: true,
                cell: (i) => withHint(i.amountDue, i.credited && `credited ${i.credited}`),
              },
              { header: 'Left to pay', numeric: true, cell: (i) => i.remaining },
              {
                header: 'Due',
                className: 'nowrap',
                cell: (i) => (
                  <>
                    {i.dueDate ?? ''}
                    {i.overdueDays ? <div className="field-error">{i.overdueDays} days overdue</div> : null}
                  </>
                ),
              },
              {
                header: 'Status',
                cell: (i) =>
                  withHint(<StatusBadge status={i.creditedInFull ? 'credited_in_full' : i.status} />, i.lastFailure),
              },
              {
                header: 'Pay',
                hideHeader: true,
                cell: (i) =>
                  i.status === 'open' &&
                  i.hostedUrl && (
                    <a className="btn btn-primary btn-small" href={i.hostedUrl}>
                      Pay
                    </a>
                  ),
              },
            ]}
          />
        )}
      </Card>
    </>
  )
}
