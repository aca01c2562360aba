import { Link } from 'react-router'
import type { Route } from './+types/course-page'
import { Card, PageHeader } from '#app/components/ui.tsx'
import { rethrowAsResponse } from '#app/lib/forms.server.ts'
import { coursePage } from '#services/training/catalog.ts'
import { BuyBox } from './buy-box.tsx'
import { learnerOrgs } from './learner-orgs.server.ts'

export const meta: Route.MetaFunction = ({ data }) =>
  data
    ? [{ title: `${data.course.title} · GGML training` }, { name: 'description', content: data.course.summary }]
    : [{ title: 'Course · GGML training' }]

export async function loader({ params, context }: Route.LoaderArgs) {
  return { course: await coursePage(params.slug).catch(rethrowAsResponse), learnerOrgs: learnerOrgs(context) }
}

export default function CoursePage({ loaderData: { course, learnerOrgs } }: Route.ComponentProps) {
  return (
    <div className="public-page">
      <PageHeader title={course.title} subtitle={course.summary} actions={<Link to="/learn">All training</Link>} />
      <Card title="Price and prerequisites">
        <p>
          <strong>{course.price}</strong>. Completing the course includes the first attempt at{' '}
          {course.exams.map((e) => (
            <Link key={e.slug} to={`/learn/exams/${e.slug}`}>
              {e.title}
            </Link>
          ))}
          .
        </p>
        <p>Prerequisites: {course.prerequisites}</p>
        <BuyBox product="course" slug={course.slug} price={course.price} learnerOrgs={learnerOrgs} />
      </Card>
      <Card title="Outline">
        <ol>
          {course.outline.map((m) => (
            <li key={m.title}>
              {m.title}
              <ul>
                {m.lessons.map((l) => (
                  <li key={l}>{l}</li>
                ))}
              </ul>
            </li>
          ))}
        </ol>
      </Card>
    </div>
  )
}
