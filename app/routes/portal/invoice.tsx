import { Link } from 'react-router'
import type { Route } from './+types/invoice'
import { StatusBadge } from '#app/components/contract-view.tsx'
import { Card, EmptyState, Notice, PageHeader } from '#app/components/ui.tsx'
import { rethrowAsResponse } from '#app/lib/forms.server.ts'
import { requireTenant } from '#app/lib/tenant.server.ts'
import { invoiceDetail } from '#services/billing/invoice-detail.ts'

export const meta: Route.MetaFunction = ({ data }) => [
  { title: `Invoice ${data?.invoice.number ?? ''} · GGML Platform` },
]

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await requireTenant(context, request, params.orgSlug, 'invoices.view')
  const invoice = await invoiceDetail(scope, params.invoiceId).catch(rethrowAsResponse)
  return {
    orgSlug: scope.organization.slug,
    invoice,
    canDispute: scope.granted.has('disputes.open'),
  }
}

export default function PortalInvoice({ loaderData: { invoice: i, orgSlug, canDispute } }: Route.ComponentProps) {
  const base = `/portal/${orgSlug}`
  return (
    <>
      <PageHeader
        title={`Invoice ${i.number}`}
        subtitle={
          <>
            {i.description} · issued {i.issuedOn} ·{' '}
            <StatusBadge status={i.creditedInFull ? 'credited_in_full' : i.status} />
          </>
        }
        actions={
          <>
            <a className="btn btn-secondary" href={`${base}/invoices/${i.id}/invoice.pdf`}>
              Download PDF
            </a>
            {i.hostedUrl && (
              <a className="btn btn-primary" href={i.hostedUrl}>
                Pay {i.remaining}
              </a>
            )}
          </>
        }
      />
      {i.lastFailure && <Notice>{i.lastFailure}</Notice>}
      {i.overdueDays > 0 && (
        <Notice>
          {i.remaining} is {i.overdueDays} days overdue (due {i.dueDate}).
        </Notice>
      )}
      <Card title="What it bills">
        <table>
          <tbody>
            {i.lines.map((l, k) => (
              <tr key={k}>
                <td>{l.description}</td>
                <td className="num">{l.amount}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Total</th>
              <td className="num">
                <strong>{i.total}</strong>
              </td>
            </tr>
            {i.creditNotes.map((n) => (
              <tr key={n.number + n.on}>
                <th scope="row">
                  Credit note {n.number} ({n.on}){n.toBalance ? ', to your credit balance' : ''}
                  <div className="hint">
                    {n.reason} · <a href={`${base}/invoices/${i.id}/credit-notes/${n.id}.pdf`}>PDF</a>
                  </div>
                </th>
                <td className="num">−{n.amount}</td>
              </tr>
            ))}
            {i.paidFromBalance && (
              <tr>
                <th scope="row">Paid from your credit balance</th>
                <td className="num">−{i.paidFromBalance}</td>
              </tr>
            )}
            {i.payments.map((p) => (
              <tr key={p.on + p.amount}>
                <th scope="row">Paid {p.on}</th>
                <td className="num">−{p.amount}</td>
              </tr>
            ))}
            <tr>
              <th scope="row">Left to pay</th>
              <td className="num">
                <strong>{i.remaining}</strong>
              </td>
            </tr>
          </tfoot>
        </table>
        <p className="hint">
          {i.servicePeriod ? `For ${i.servicePeriod}. ` : ''}
          {i.dueDate ? `Due ${i.dueDate}. ` : ''}
          {i.paidOn
            ? i.creditedInFull
              ? `Credited in full on ${i.paidOn}: no payment was made or is due. `
              : `Paid ${i.paidOn}. `
            : ''}
          {i.report && (
            <Link to={`${base}/reports/${i.report.id}`}>The report it bills (revision {i.report.revision})</Link>
          )}
        </p>
      </Card>
      <Card title="How the charges were worked out">
        {i.charges.length === 0 ? (
          <EmptyState>This invoice bills a fixed amount; there is no rating behind it.</EmptyState>
        ) : (
          <dl className="traces">
            {i.charges.map((c, k) => (
              <div key={k}>
                <dt>
                  {c.label}: <strong>{c.amount}</strong>
                </dt>
                {c.trace.map((t, n) => (
                  <dd key={n}>{t}</dd>
                ))}
              </div>
            ))}
          </dl>
        )}
      </Card>
      <Card title="Disputes">
        {i.disputes.length === 0 ? (
          <EmptyState>
            None.{' '}
            {canDispute && i.status === 'open' && (
              <Link to={`${base}/disputes?invoice=${i.id}`}>Dispute an amount on this invoice</Link>
            )}
          </EmptyState>
        ) : (
          <ul>
            {i.disputes.map((d) => (
              <li key={d.id}>
                {d.amount}: {d.reason} · <StatusBadge status={d.status} />
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  )
}
