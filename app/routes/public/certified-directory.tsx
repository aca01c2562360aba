import { Link, useSearchParams } from 'react-router'
import type { Route } from './+types/certified-directory'
import { Card, EmptyState, PageHeader } from '#app/components/ui.tsx'
import { certifiedDirectory } from '#services/certification/badges.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Certified hardware: Powered by GGML' }]

// Public: every "Powered by GGML" badge in force, to compare hardware side by side.
export async function loader({ request }: Route.LoaderArgs) {
  const sort = new URL(request.url).searchParams.get('sort')
  return { rows: await certifiedDirectory(sort === 'pp' || sort === 'recent' ? sort : 'tg') }
}

export default function Directory({ loaderData: { rows } }: Route.ComponentProps) {
  const [params] = useSearchParams()
  const max = Math.max(1, ...rows.map((r) => r.tg))
  return (
    <main id="main" className="content">
      <PageHeader
        title="Certified hardware"
        subtitle="Measured with the real llama.cpp by runners on the hardware itself. Each entry links to its evidence."
        actions={<Link to="/certification/log">Public log of every submission</Link>}
      />
      <Card>
        {rows.length === 0 ? (
          <EmptyState>No certified hardware yet.</EmptyState>
        ) : (
          <>
            <p>
              Sort by:{' '}
              {(['tg', 'pp', 'recent'] as const).map((s) => (
                <span key={s}>
                  {' '}
                  <Link to={`?sort=${s}`} aria-current={(params.get('sort') ?? 'tg') === s ? 'true' : undefined}>
                    {s === 'tg' ? 'generation' : s === 'pp' ? 'prompt processing' : 'newest'}
                  </Link>
                </span>
              ))}
            </p>
            <table>
              <thead>
                <tr>
                  <th scope="col">Product</th>
                  <th scope="col">Partner</th>
                  <th scope="col">Model</th>
                  <th scope="col" className="num">
                    pp t/s
                  </th>
                  <th scope="col">tg t/s</th>
                  <th scope="col">Assurance</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.id}>
                    <td>
                      <Link to={`/badges/${r.id}`}>{r.product}</Link>
                      <div className="hint">
                        {r.sku} · {r.cpu}
                      </div>
                    </td>
                    <td>{r.partner}</td>
                    <td>{r.model}</td>
                    <td className="num">{Math.round(r.pp)}</td>
                    <td>
                      <svg width="160" height="14" role="img" aria-label={`${r.tg.toFixed(1)} tokens per second`}>
                        <rect width={(r.tg / max) * 110} height="12" y="1" fill="#0b5cad" />
                        <text x={(r.tg / max) * 110 + 4} y="11" fontSize="11">
                          {r.tg.toFixed(1)}
                        </text>
                      </svg>
                    </td>
                    <td>{r.assurance}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </Card>
    </main>
  )
}
