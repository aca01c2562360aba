import { Link } from 'react-router'
import { type Columns, DataTable } from '#app/components/data-table.tsx'
import type { Route } from './+types/exam-page'
import { Card, PageHeader } from '#app/components/ui.tsx'
import { rethrowAsResponse } from '#app/lib/forms.server.ts'
import { examPage } from '#services/training/catalog.ts'
import { BuyBox } from './buy-box.tsx'
import { learnerOrgs } from './learner-orgs.server.ts'

export const meta: Route.MetaFunction = ({ data }) =>
  data
    ? [{ title: `${data.exam.title} · GGML certification` }, { name: 'description', content: data.exam.summary }]
    : [{ title: 'Exam · GGML certification' }]

export async function loader({ params, context }: Route.LoaderArgs) {
  return { exam: await examPage(params.slug).catch(rethrowAsResponse), learnerOrgs: learnerOrgs(context) }
}

const domainColumns: Columns<Route.ComponentProps['loaderData']['exam']['domains'][number]> = [
  { header: 'Domain', cell: (d) => d.domain },
  { header: 'Questions', numeric: true, cell: (d) => d.count },
]

export default function ExamPage({ loaderData: { exam, learnerOrgs } }: Route.ComponentProps) {
  return (
    <div className="public-page">
      <PageHeader title={exam.title} subtitle={exam.summary} actions={<Link to="/learn">All training</Link>} />
      <Card title="Price">
        <p>
          <strong>{exam.price}</strong> per attempt (a voucher).
          {exam.course && (
            <>
              {' '}
              Or take <Link to={`/learn/courses/${exam.course.slug}`}>{exam.course.title}</Link>, whose completion
              includes the first attempt.
            </>
          )}
        </p>
        <BuyBox product="exam" slug={exam.slug} price={exam.price} learnerOrgs={learnerOrgs} />
      </Card>
      <Card title="What it covers">
        <DataTable rows={exam.domains} rowKey={(d) => d.domain} columns={domainColumns} />
      </Card>
      <Card title="Policies">
        <ul>
          {exam.rules.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      </Card>
    </div>
  )
}
