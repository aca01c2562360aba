import { db } from '../../services/platform/db/client.ts'
import { newId } from '../../services/platform/db/ids.ts'
import { addMonths } from '../../services/training/exam-policy.ts'
import { now } from '../../services/platform/clock.ts'
import { createUser, ggmlOrganization, unique } from './fixtures.ts'

export const EXPLANATION_MARKER = 'EXPLANATION-NEVER-SHOWN'

/**
 * A published course (two lessons) and its exam: two domains of `perDomain` reviewed items each,
 * `need` per form, pass mark 60%, waits 14/60/365 days. Item keys are always choice "a" (shuffled
 * on the form), and every explanation carries a marker the key-leak test looks for.
 */
export async function examFixture(opts: { perDomain?: number; need?: number; minutes?: number } = {}) {
  const perDomain = opts.perDomain ?? 6
  const need = opts.need ?? 2
  const ggml = await ggmlOrganization()
  const author = await createUser(ggml.id, 'instructor')
  const reviewer = await createUser(ggml.id, 'instructor')
  const courseId = newId()
  const course = await db().course.create({
    data: {
      id: courseId,
      slug: unique('course'),
      title: unique('Course'),
      summary: 'A course',
      prerequisites: 'None',
      priceMinor: 49_900n,
      published: true,
      modules: {
        create: [
          {
            id: newId(),
            position: 0,
            title: 'Module',
            lessons: {
              create: [
                { id: newId(), position: 0, title: 'One', bodyMarkdown: '# One' },
                { id: newId(), position: 1, title: 'Two', bodyMarkdown: 'Two' },
              ],
            },
          },
        ],
      },
    },
  })
  const exam = await db().exam.create({
    data: {
      id: newId(),
      slug: unique('exam'),
      title: unique('Exam'),
      summary: 'An exam',
      priceMinor: 20_000n,
      courseId,
      timeLimitMinutes: opts.minutes ?? 30,
      passPercent: 60,
      validityMonths: 24,
      blueprint: { alpha: need, beta: need },
      maxExposurePercent: 100,
      maxOverlapPercent: 50,
      retakeWaitDays: [14, 60, 365],
      yearlyCap: 4,
      published: true,
    },
  })
  const versions: string[] = []
  for (const domain of ['alpha', 'beta'])
    for (let n = 0; n < perDomain; n++) {
      const itemId = newId()
      const versionId = newId()
      await db().examItem.create({ data: { id: itemId, examId: exam.id, domain } })
      await db().examItemVersion.create({
        data: {
          id: versionId,
          itemId,
          version: 1,
          kind: 'single',
          stem: `${domain} question ${n}`,
          choices: ['right', 'wrong one', 'wrong two', 'wrong three'].map((text, i) => ({
            id: String.fromCharCode(97 + i),
            text: `${text} ${n}`,
          })),
          key: ['a'],
          explanation: `${EXPLANATION_MARKER} ${n}`,
          difficulty: 3,
          tags: [],
          state: 'live',
          authorId: author.id,
          reviewerId: reviewer.id,
        },
      })
      await db().examItem.update({ where: { id: itemId }, data: { liveVersionId: versionId } })
      versions.push(versionId)
    }
  return { course, exam, author, reviewer, versions }
}

/** A voucher for the exam, as a paid checkout would leave it. */
export async function giveVoucher(organizationId: string, userId: string, examId: string) {
  return db().examVoucher.create({
    data: { id: newId(), organizationId, userId, examId, expiresAt: addMonths(now(), 12) },
  })
}
