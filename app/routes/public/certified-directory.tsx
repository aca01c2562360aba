import { Form, Link, useSearchParams } from 'react-router'
import { searchParam } from '#services/platform/paging.ts'
import type { Route } from './+types/certified-directory'
import { Card, EmptyState, PageHeader } from '#app/components/ui.tsx'
import { certifiedDirectory } from '#services/certification/badges.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Certified hardware: Powered by GGML' }]

// Public: every "Powered by GGML" badge in force, to compare hardware side by side.
export async function loader({ request }: Route.LoaderArgs) {
  const params = new URL(request.url).searchParams
  const sort = params.get('sort')
  const text = (name: string) => searchParam(params.get(name))
  return certifiedDirectory(sort === 'pp' || sort === 'recent' ? sort : 'tg', {
    q: text('q'),
    backend: text('backend'),
    model: text('model'),
  })
}

export default function Directory({ loaderData: { rows, total, backends, models } }: Route.ComponentProps) {
  const [params] = useSearchParams()
  // Sorting keeps the search and filters.
  const withSort = (sort: string) => {
    const next = new URLSearchParams(params)
    next.set('sort', sort)
    return `?${next.toString()}`
  }
  const max = Math.max(1, ...rows.map((r) => r.tg))
  return (
    <div className="public-page">
      <PageHeader
        title="Certified hardware"
        subtitle="Measured with the real llama.cpp by runners on the hardware itself. Each entry links to its evidence."
        actions={<Link to="/certification/log">Public log of every submission</Link>}
      />
      <Card>
        <Form method="get" className="filters" role="search">
          <input type="hidden" name="sort" value={params.get('sort') ?? 'tg'} />
          <div className="field">
            <label htmlFor="q">Partner, product, model or CPU</label>
            <input id="q" name="q" type="search" defaultValue={params.get('q') ?? ''} />
          </div>
          <div className="field">
            <label htmlFor="backend">Backend</label>
            <select id="backend" name="backend" defaultValue={params.get('backend') ?? ''}>
              <option value="">Any</option>
              {backends.map((b) => (
                <option key={b}>{b}</option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="model">Model</label>
            <select id="model" name="model" defaultValue={params.get('model') ?? ''}>
              <option value="">Any</option>
              {models.map((m) => (
                <option key={m}>{m}</option>
              ))}
            </select>
          </div>
          <button type="submit" className="btn btn-secondary">
            Filter
          </button>
        </Form>
        <p className="hint">
          {rows.length} of {total} certified products
        </p>
        {rows.length === 0 ? (
          <EmptyState>{total ? 'Nothing matches: clear the filters.' : 'No certified hardware yet.'}</EmptyState>
        ) : (
          <>
            {/* The order in force is said in words, not a link; the others are links, set apart by dots. */}
            <p className="sort-by">
              Sort by:{' '}
              {(['tg', 'pp', 'recent'] as const).map((s, i) => {
                const label = s === 'tg' ? 'generation speed' : s === 'pp' ? 'prompt processing speed' : 'newest'
                return (
                  <span key={s}>
                    {i > 0 && ' · '}
                    {(params.get('sort') ?? 'tg') === s ? (
                      <strong aria-current="true">{label}</strong>
                    ) : (
                      <Link to={withSort(s)}>{label}</Link>
                    )}
                  </span>
                )
              })}
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
    </div>
  )
}
