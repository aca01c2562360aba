import { Link } from 'react-router'
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
        <table>
          <thead>
            <tr>
              <th scope="col">Domain</th>
              <th scope="col" className="num">
                Questions
              </th>
            </tr>
          </thead>
          <tbody>
            {exam.domains.map((d) => (
              <tr key={d.domain}>
                <td>{d.domain}</td>
                <td className="num">{d.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
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
