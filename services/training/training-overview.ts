import { db } from '../db/client.ts'
import type { Actor } from '../identity/actor.ts'
import { assertCanAsStaff } from '../tenancy/tenant-guard.ts'

/** Staff overview of the training line: exams and their banks, and counts across all learners. */
export async function trainingOverview(actor: Actor) {
  assertCanAsStaff(actor, 'training.view')
  const exams = await db().exam.findMany({ orderBy: { title: 'asc' } })
  const rows = await Promise.all(
    exams.map(async (e) => {
      const [liveItems, inReview, attempts, passed] = await Promise.all([
        db().examItem.count({ where: { examId: e.id, retiredAt: null, liveVersionId: { not: null } } }),
        db().examItemVersion.count({ where: { item: { examId: e.id }, state: 'in_review' } }),
        db().examAttempt.count({ where: { examId: e.id, status: 'submitted' } }),
        db().examAttempt.count({ where: { examId: e.id, status: 'submitted', passed: true } }),
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
    db().certificate.count({ where: { revokedAt: null } }),
    db().certificate.count({ where: { revokedAt: { not: null } } }),
    db().membership.count({ where: { role: 'learner' } }),
    db().enrolment.count({ where: { revokedAt: null } }),
    db().trainingSeatPack.count(),
  ])
  return { exams: rows, certificates: { valid, revoked }, learners, enrolments, seatPacks }
}
