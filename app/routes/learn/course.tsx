import { Link } from 'react-router'
import type { Route } from './+types/course'
import { Button, Card, FormError, PageHeader, PostForm } from '#app/components/ui.tsx'
import { attempt, invalid, parseValues, rethrowAsResponse } from '#app/lib/forms.server.ts'
import { requireTenant } from '#app/lib/tenant.server.ts'
import { completeLesson, completeLessonSchema, courseForLearner } from '#services/training/course-progress.ts'

export const meta: Route.MetaFunction = ({ data }) => [{ title: `${data?.course.title ?? 'Course'} · GGML training` }]

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await requireTenant(context, request, params.orgSlug, 'training.learn')
  return {
    orgSlug: scope.organization.slug,
    course: await courseForLearner(scope, params.courseSlug).catch(rethrowAsResponse),
  }
}

export async function action({ context, request, params }: Route.ActionArgs) {
  const scope = await requireTenant(context, request, params.orgSlug, 'training.learn')
  const parsed = parseValues(Object.fromEntries(await request.formData()), completeLessonSchema)
  if (!parsed.ok) return invalid(parsed.errors)
  return attempt(async () => {
    return await completeLesson(scope, params.courseSlug, parsed.data)
  })
}

export default function Course({ loaderData: { course, orgSlug }, actionData }: Route.ComponentProps) {
  const errors = actionData && 'errors' in actionData ? actionData.errors : undefined
  const all = course.modules.flatMap((m) => m.lessons)
  return (
    <>
      <PageHeader
        title={course.title}
        subtitle={
          `${all.filter((l) => l.done).length} of ${all.length} lessons done` +
          (course.completedAt ? ' · course completed' : '')
        }
        actions={<Link to={`/learn/${orgSlug}`}>Your training</Link>}
      />
      <FormError errors={errors} />
      {course.modules.map((m) => (
        <Card key={m.title} title={m.title}>
          {m.lessons.map((l) => (
            <section key={l.id} className="lesson">
              <h3>
                {l.title} {l.done ? '✓' : ''}
              </h3>
              {/* Rendered from the author's Markdown with raw HTML escaped (render-markdown.ts). */}
              <div dangerouslySetInnerHTML={{ __html: l.html }} />
              {!l.done && (
                <PostForm>
                  <input type="hidden" name="lessonId" value={l.id} />
                  <Button type="submit" variant="secondary">
                    Mark “{l.title}” done
                  </Button>
                </PostForm>
              )}
            </section>
          ))}
        </Card>
      ))}
    </>
  )
}
