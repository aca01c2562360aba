import { unscopedDb } from '../platform/db/unscoped.ts'
import { AppError } from '../platform/errors/app-error.ts'
import type { Actor } from '../identity/actor.ts'
import { assertCanAsStaff } from '../tenancy/tenant-guard.ts'
import { itemStatistics, smallSampleWarning } from './item-statistics.ts'

/** Item analysis of an exam on candidates' first attempts (later attempts have seen items before). */
export async function examStatistics(actor: Actor, examSlug: string) {
  assertCanAsStaff(actor, 'exams.statistics')
  const exam = await unscopedDb('catalogue').exam.findUnique({ where: { slug: examSlug } })
  if (!exam) throw new AppError('not_found', 'No such exam.')
  // Statistics aggregate across organizations by design; nothing about a person leaves this function.
  const attempts = await unscopedDb('staff view').examAttempt.findMany({
    where: { examId: exam.id, number: 1, status: 'submitted' },
    select: {
      percent: true,
      passed: true,
      items: { select: { correct: true, answer: true, itemVersion: { select: { itemId: true } } } },
    },
  })
  const stats = itemStatistics(
    attempts.map((a) => ({
      responses: a.items.map((i) => ({ itemId: i.itemVersion.itemId, correct: Boolean(i.correct), answer: i.answer })),
    })),
  )
  const items = await unscopedDb('catalogue').examItem.findMany({
    where: { id: { in: stats.items.map((i) => i.itemId) } },
    select: { id: true, domain: true, liveVersion: { select: { stem: true, key: true } } },
  })
  const byId = new Map(items.map((i) => [i.id, i]))
  return {
    exam: { slug: exam.slug, title: exam.title, passPercent: exam.passPercent },
    attempts: stats.attempts,
    smallSample: smallSampleWarning(stats.attempts),
    passRate: attempts.length ? attempts.filter((a) => a.passed).length / attempts.length : null,
    kr20: stats.kr20,
    scores: attempts.map((a) => a.percent ?? 0),
    items: stats.items.map((s) => ({
      ...s,
      domain: byId.get(s.itemId)?.domain ?? '',
      stem: byId.get(s.itemId)?.liveVersion?.stem ?? '(no live version)',
      key: byId.get(s.itemId)?.liveVersion?.key ?? [],
    })),
  }
}
