import type { Route } from './+types/certification-log'
import { Card, EmptyState, PageHeader } from '#app/components/ui.tsx'
import { publicLog } from '#services/certification/public-log.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Certification log: Powered by GGML' }]

// Public: every submission, accepted or not, hash-chained so none can be hidden or rewritten.
export async function loader() {
  return publicLog()
}

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
        {d.entries.length === 0 ? (
          <EmptyState>No submissions yet.</EmptyState>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">When (UTC)</th>
                <th scope="col">Product</th>
                <th scope="col">Outcome</th>
                <th scope="col">Result SHA-256</th>
              </tr>
            </thead>
            <tbody>
              {d.entries.map((e) => (
                <tr key={e.seq}>
                  <td className="num">{e.seq}</td>
                  <td>{e.at.slice(0, 16).replace('T', ' ')}</td>
                  <td>
                    {e.product}
                    <div className="hint">{e.partner}</div>
                  </td>
                  <td>{e.outcome}</td>
                  <td>
                    <code className="small">{e.payloadSha256.slice(0, 16)}…</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </div>
  )
}
