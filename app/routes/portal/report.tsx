import { Link, useSearchParams } from 'react-router'
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
        <table>
          <thead>
            <tr>
              <th scope="col">Price band</th>
              <th scope="col">Device class</th>
              <th scope="col" className="num">
                Lines
              </th>
              <th scope="col" className="num">
                Units
              </th>
              <th scope="col" className="num">
                AI-related revenue
              </th>
            </tr>
          </thead>
          <tbody>
            {r.usage.map((u, k) => (
              <tr key={k}>
                <td>{u.band}</td>
                <td>{u.deviceClass}</td>
                <td className="num">{u.lines}</td>
                <td className="num">{u.units}</td>
                <td className="num">{u.revenue}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
      <Card title="Charges, and how each was computed">
        {r.charges.length === 0 ? (
          <EmptyState>
            {r.status === 'superseded'
              ? 'A restatement replaced this report; see the current revision.'
              : 'Nothing to charge for this period.'}
          </EmptyState>
        ) : (
          <table className="preview">
            <tbody>
              {r.charges.map((c, k) => (
                <tr key={k}>
                  <td>
                    {c.label}
                    <ul className="trace">
                      {c.trace.map((t, m) => (
                        <li key={m}>{t}</li>
                      ))}
                    </ul>
                  </td>
                  <td className="num">{c.amount}</td>
                </tr>
              ))}
              <tr className="total">
                <th scope="row">Charged for {r.period}</th>
                <td className="num">{r.total}</td>
              </tr>
            </tbody>
          </table>
        )}
      </Card>
      <Card title="Ledger postings">
        {r.postings.map((e) => (
          <div key={e.id} className="posting">
            <p>
              <strong>{e.description}</strong> · {e.kind.replaceAll('_', ' ')} · dated {e.effectiveDate}
            </p>
            <table>
              <thead>
                <tr>
                  <th scope="col">Account</th>
                  <th scope="col">Memo</th>
                  <th scope="col" className="num">
                    Debit
                  </th>
                  <th scope="col" className="num">
                    Credit
                  </th>
                </tr>
              </thead>
              <tbody>
                {e.lines.map((l, k) => (
                  <tr key={k}>
                    <td>{l.account}</td>
                    <td>{l.memo}</td>
                    <td className="num">{l.debit}</td>
                    <td className="num">{l.credit}</td>
                  </tr>
                ))}
              </tbody>
            </table>
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
