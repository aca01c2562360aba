import { Link } from 'react-router'
import { DataTable } from '#app/components/data-table.tsx'
import type { Route } from './+types/catalog'
import { Card, PageHeader } from '#app/components/ui.tsx'
import { catalog } from '#services/training/catalog.ts'
import { BuyBox } from './buy-box.tsx'
import { learnerOrgs } from './learner-orgs.server.ts'

export const meta: Route.MetaFunction = () => [
  { title: 'Learn llama.cpp and GGML: courses and certification · ggml.ai' },
  {
    name: 'description',
    content:
      'Courses on running llama.cpp in production and the GGML certification exam, with verifiable certificates.',
  },
]

// Public: the training catalog, server-rendered for search engines and people without an account.
export async function loader({ context }: Route.LoaderArgs) {
  const offer = await catalog()
  return { ...offer, learnerOrgs: learnerOrgs(context) }
}

export default function Catalog({
  loaderData: { courses, exams, bundles, packages, learnerOrgs },
}: Route.ComponentProps) {
  return (
    <div className="public-page">
      <PageHeader
        title="Learn llama.cpp and GGML"
        subtitle="Courses written by the people who build llama.cpp, a certification exam employers can verify."
        actions={
          <>
            <Link to="/signup">Create a learner account</Link> · <Link to="/login">Sign in</Link>
          </>
        }
      />
      <Card title="Courses">
        {courses.map((c) => (
          <article key={c.slug}>
            <h3>
              <Link to={`/learn/courses/${c.slug}`}>{c.title}</Link> · {c.price}
            </h3>
            <p>{c.summary}</p>
            <p className="hint">
              {c.modules} modules, {c.lessons} lessons
            </p>
          </article>
        ))}
      </Card>
      <Card title="Certification exams">
        {exams.map((e) => (
          <article key={e.slug}>
            <h3>
              <Link to={`/learn/exams/${e.slug}`}>{e.title}</Link> · {e.price}
            </h3>
            <p>{e.summary}</p>
            <p className="hint">
              {`${e.items} questions, ${e.timeLimitMinutes} minutes, pass mark ${e.passPercent}%, `}
              {`valid ${e.validityMonths} months`}
            </p>
          </article>
        ))}
      </Card>
      {bundles.length > 0 && (
        <Card title="Course and certification together">
          {bundles.map((b) => (
            <article key={b.slug}>
              <h3>
                {b.title} · {b.price} (you save {b.saving})
              </h3>
              <p>{b.summary}</p>
              <BuyBox product="bundle" slug={b.slug} price={b.price} learnerOrgs={learnerOrgs} />
            </article>
          ))}
        </Card>
      )}
      <Card title="For companies">
        <p>Train a team: seats with the course and an exam attempt each, on invoice, with progress for your admin.</p>
        <DataTable
          rows={packages}
          rowKey={(p) => p.name}
          columns={[
            { header: 'Package', cell: (p) => p.name },
            { header: 'Seats', cell: (p) => p.seats },
            { header: 'Price', cell: (p) => p.price },
            { header: 'Includes', cell: (p) => p.includes },
          ]}
        />
        <p>
          Write to <a href="mailto:training@ggml.ai">training@ggml.ai</a>.
        </p>
      </Card>
    </div>
  )
}
