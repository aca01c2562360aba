import { unscopedDb } from '../platform/db/unscoped.ts'
import type { Actor } from '../identity/actor.ts'
import { assertCanAsStaff } from '../tenancy/tenant-guard.ts'

/** Staff overview of the training line: exams and their banks, and counts across all learners. */
export async function trainingOverview(actor: Actor) {
  assertCanAsStaff(actor, 'training.view')
  const exams = await unscopedDb('staff view').exam.findMany({ orderBy: { title: 'asc' } })
  const rows = await Promise.all(
    exams.map(async (e) => {
      const [liveItems, inReview, attempts, passed] = await Promise.all([
        unscopedDb('staff view').examItem.count({
          where: { examId: e.id, retiredAt: null, liveVersionId: { not: null } },
        }),
        unscopedDb('staff view').examItemVersion.count({ where: { item: { examId: e.id }, state: 'in_review' } }),
        unscopedDb('staff view').examAttempt.count({ where: { examId: e.id, status: 'submitted' } }),
        unscopedDb('staff view').examAttempt.count({ where: { examId: e.id, status: 'submitted', passed: true } }),
      ])
      return {
        slug: e.slug,
        title: e.title,
        liveItems,
        inReview,
        attempts,
        passRate: attempts ? passed / attempts : null,
      }
    }),
  )
  const [valid, revoked, learners, enrolments, seatPacks] = await Promise.all([
    unscopedDb('staff view').certificate.count({ where: { revokedAt: null } }),
    unscopedDb('staff view').certificate.count({ where: { revokedAt: { not: null } } }),
    unscopedDb('staff view').membership.count({ where: { role: 'learner' } }),
    unscopedDb('staff view').enrolment.count({ where: { revokedAt: null } }),
    unscopedDb('staff view').trainingSeatPack.count(),
  ])
  return { exams: rows, certificates: { valid, revoked }, learners, enrolments, seatPacks }
}
