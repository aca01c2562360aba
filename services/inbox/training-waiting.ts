import { unscopedDb } from '../platform/db/unscoped.ts'
import { canAsStaff, type Actor } from '../identity/actor.ts'
import { assertCanAsStaff } from '../tenancy/tenant-guard.ts'
import { examDecider, mayDecideExamRequest } from '../training/exam-approvals.ts'
import { isoDay, ROWS_PER_SOURCE, type InboxSourceReader } from './inbox-item.ts'

// A second instructor reviews a version; its author never does (review-item.ts, and the database).
const versionsFor = (actor: Actor) => ({
  state: 'in_review' as const,
  authorId: { not: actor.userId },
  item: { retiredAt: null },
})

export const waitingExamItems: InboxSourceReader = {
  source: 'exam_item',
  applies: (actor) => canAsStaff(actor, 'items.review'),
  count(actor) {
    assertCanAsStaff(actor, 'items.review')
    return unscopedDb('catalogue').examItemVersion.count({ where: versionsFor(actor) })
  },
  async list(actor) {
    assertCanAsStaff(actor, 'items.review')
    const versions = await unscopedDb('catalogue').examItemVersion.findMany({
      where: versionsFor(actor),
      include: { item: { select: { domain: true, exam: { select: { slug: true, title: true } } } } },
      orderBy: { createdAt: 'asc' },
      take: ROWS_PER_SOURCE,
    })
    const authors = new Map(
      (
        await unscopedDb('staff view').user.findMany({
          where: { id: { in: [...new Set(versions.map((v) => v.authorId))] } },
          select: { id: true, name: true },
        })
      ).map((u) => [u.id, u.name]),
    )
    return versions.map((v) => ({
      source: 'exam_item',
      id: v.id,
      organizationId: null,
      kind: 'Exam item to review',
      title: `${v.item.exam.title} · ${v.item.domain}: ${v.stem.length > 120 ? `${v.stem.slice(0, 119)}…` : v.stem}`,
      detail: `Version ${v.version} by ${authors.get(v.authorId) ?? 'someone no longer here'}`,
      since: isoDay(v.createdAt),
      href: `/training/exams/${v.item.exam.slug}/items?waiting=review`,
      approveBlocked: null,
    }))
  },
}

/**
 * Open requests this person may decide: mayDecideExamRequest (never the requester), and never one
 * about their own exam or certificate (decide-exam-approval.ts refuses both).
 */
async function decidableRequests(actor: Actor) {
  assertCanAsStaff(actor, 'training.view')
  const open = await unscopedDb('staff view').examApprovalRequest.findMany({
    where: { decidedAt: null, requestedById: { not: actor.userId } },
    orderBy: { createdAt: 'asc' },
  })
  const decider = examDecider(actor)
  const mine = new Set(
    (
      await unscopedDb('staff view').certificate.findMany({
        where: { id: { in: open.flatMap((r) => r.certificateId ?? []) }, userId: actor.userId },
        select: { id: true },
      })
    ).map((c) => c.id),
  )
  return open.filter(
    (r) =>
      r.userId !== actor.userId &&
      !(r.certificateId && mine.has(r.certificateId)) &&
      mayDecideExamRequest(r.kind, { requester: false, ...decider }),
  )
}

export const waitingExamRequests: InboxSourceReader = {
  source: 'exam_request',
  applies: (actor) =>
    canAsStaff(actor, 'training.view') &&
    (canAsStaff(actor, 'exams.accommodate') ||
      canAsStaff(actor, 'certificates.revoke') ||
      canAsStaff(actor, 'admin.view')),
  count: async (actor) => (await decidableRequests(actor)).length,
  async list(actor) {
    const open = (await decidableRequests(actor)).slice(0, ROWS_PER_SOURCE)
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
    return open.map((r) => {
      const cert = r.certificateId ? certificate.get(r.certificateId) : undefined
      return {
        source: 'exam_request' as const,
        id: r.id,
        organizationId: r.organizationId,
        kind: r.kind === 'accommodation' ? 'Extra time' : 'Certificate revocation',
        title:
          r.kind === 'accommodation'
            ? `${r.extraMinutes} extra minutes for ${user.get(r.userId ?? '')?.email} on ${exam.get(r.examId ?? '')}`
            : `Revoke ${cert?.holderName}’s certificate (${cert?.exam.title})`,
        detail: `Asked by ${user.get(r.requestedById)?.name ?? 'someone'}: ${r.reason}`,
        since: isoDay(r.createdAt),
        href: '/training',
        approveBlocked: null,
      }
    })
  },
}
