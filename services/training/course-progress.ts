import { z } from 'zod'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { now } from '../platform/clock.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { renderLessonMarkdown } from './render-markdown.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

/** An enrolled learner's course: lessons rendered to safe HTML, and which they have completed. */
export async function courseForLearner(scope: TenantScope, courseSlug: string) {
  assertCan(scope, 'training.learn')
  const course = await unscopedDb('catalogue').course.findUnique({
    where: { slug: courseSlug },
    include: { modules: { orderBy: { position: 'asc' }, include: { lessons: { orderBy: { position: 'asc' } } } } },
  })
  const enrolment = course
    ? await scope.db.enrolment.findFirst({
        where: { userId: scope.actor.userId, courseId: course.id, revokedAt: null },
      })
    : null
  if (!course || !enrolment) throw new AppError('not_found', 'You are not enrolled in this course.')
  const done = new Set(
    (
      await scope.db.lessonCompletion.findMany({ where: { userId: scope.actor.userId }, select: { lessonId: true } })
    ).map((c) => c.lessonId),
  )
  return {
    slug: course.slug,
    title: course.title,
    completedAt: enrolment.completedAt,
    modules: course.modules.map((m) => ({
      title: m.title,
      lessons: m.lessons.map((l) => ({
        id: l.id,
        title: l.title,
        html: renderLessonMarkdown(l.bodyMarkdown),
        done: done.has(l.id),
      })),
    })),
  }
}

export const completeLessonSchema = z.object({ lessonId: z.string().min(1).max(64) })

/** Marks a lesson done; the last one completes the course (which may include its exam's first attempt). */
export async function completeLesson(
  scope: TenantScope,
  courseSlug: string,
  input: z.input<typeof completeLessonSchema>,
) {
  assertCan(scope, 'training.learn')
  const { lessonId } = parseInput(completeLessonSchema, input)
  const course = await unscopedDb('catalogue').course.findUnique({
    where: { slug: courseSlug },
    include: { modules: { include: { lessons: { select: { id: true } } } } },
  })
  const lessons = course?.modules.flatMap((m) => m.lessons.map((l) => l.id)) ?? []
  if (!course || !lessons.includes(lessonId)) throw new AppError('not_found', 'No such lesson in this course.')
  const userId = scope.actor.userId
  return scope.db.$transaction(async (tx) => {
    const enrolment = await tx.enrolment.findFirst({ where: { userId, courseId: course.id, revokedAt: null } })
    if (!enrolment) throw new AppError('not_found', 'You are not enrolled in this course.')
    await tx.lessonCompletion.createMany({
      data: [{ organizationId: scope.organization.id, userId, lessonId, completedAt: now() }],
      skipDuplicates: true,
    })
    const done = await tx.lessonCompletion.count({ where: { userId, lessonId: { in: lessons } } })
    if (done === lessons.length && !enrolment.completedAt)
      await tx.enrolment.update({ where: { id: enrolment.id }, data: { completedAt: now() } })
    return { done, of: lessons.length }
  })
}
