import { unscopedDb } from '../platform/db/unscoped.ts'
import type { Actor } from '../identity/actor.ts'
import { assertCanAsStaff } from '../tenancy/tenant-guard.ts'
import { examDecider, mayDecideExamRequest } from './exam-approvals.ts'

/** Requests for extra time and revocations waiting for a second person, with whether this viewer may decide. */
export async function listExamApprovals(actor: Actor) {
  assertCanAsStaff(actor, 'training.view')
  const open = await unscopedDb('staff view').examApprovalRequest.findMany({
    where: { decidedAt: null },
    orderBy: { createdAt: 'asc' },
  })
  const ids = (f: (r: (typeof open)[number]) => string | null) => [...new Set(open.flatMap((r) => f(r) ?? []))]
  const [users, exams, certificates] = await Promise.all([
    unscopedDb('staff view').user.findMany({
      where: { id: { in: [...ids((r) => r.userId), ...ids((r) => r.requestedById)] } },
      select: { id: true, email: true, name: true },
    }),
    unscopedDb('catalogue').exam.findMany({
      where: { id: { in: ids((r) => r.examId) } },
      select: { id: true, title: true },
    }),
    unscopedDb('staff view').certificate.findMany({
      where: { id: { in: ids((r) => r.certificateId) } },
      select: { id: true, holderName: true, exam: { select: { title: true } } },
    }),
  ])
  const user = new Map(users.map((u) => [u.id, u]))
  const exam = new Map(exams.map((e) => [e.id, e.title]))
  const certificate = new Map(certificates.map((c) => [c.id, c]))
  const decider = examDecider(actor)
  return open.map((r) => {
    const cert = r.certificateId ? certificate.get(r.certificateId) : undefined
    return {
      id: r.id,
      kind: r.kind,
      what:
        r.kind === 'accommodation'
          ? `${r.extraMinutes} extra minutes for ${user.get(r.userId!)?.email} on ${exam.get(r.examId!)}`
          : `Revoke ${cert?.holderName}’s certificate (${cert?.exam.title}, ${r.certificateId})`,
      reason: r.reason,
      requestedBy: user.get(r.requestedById)?.name ?? 'someone',
      mine: r.requestedById === actor.userId,
      mayDecide: mayDecideExamRequest(r.kind, { requester: r.requestedById === actor.userId, ...decider }),
    }
  })
}
