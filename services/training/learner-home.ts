import { unscopedDb } from '../platform/db/unscoped.ts'
import { now } from '../platform/clock.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { isAbandoned } from './expire-checkout.ts'
import { asPastAttempt, retakeEligibility } from './retake-policy.ts'

/** A learner's training in one organization: courses and progress, vouchers, attempts, certificates. */
export async function learnerHome(scope: TenantScope) {
  assertCan(scope, 'training.learn')
  const userId = scope.actor.userId
  const at = now()
  const [enrolments, vouchers, attempts, certificates, exams, orders] = await Promise.all([
    scope.db.enrolment.findMany({
      where: { userId, revokedAt: null },
      include: { course: { include: { modules: { include: { lessons: { select: { id: true } } } } } } },
    }),
    scope.db.examVoucher.findMany({ where: { userId }, include: { exam: { select: { title: true, slug: true } } } }),
    scope.db.examAttempt.findMany({
      where: { userId },
      orderBy: { startedAt: 'desc' },
      include: { exam: { select: { title: true, slug: true } } },
    }),
    scope.db.certificate.findMany({ where: { userId }, include: { exam: { select: { title: true } } } }),
    unscopedDb('catalogue').exam.findMany({ where: { published: true }, orderBy: { title: 'asc' } }),
    scope.db.trainingOrder.findMany({ where: { userId }, orderBy: { createdAt: 'desc' } }),
  ])
  const done = new Set(
    (await scope.db.lessonCompletion.findMany({ where: { userId }, select: { lessonId: true } })).map(
      (c) => c.lessonId,
    ),
  )
  return {
    courses: enrolments.map((e) => {
      const lessons = e.course.modules.flatMap((m) => m.lessons.map((l) => l.id))
      return {
        slug: e.course.slug,
        title: e.course.title,
        source: e.source,
        lessons: lessons.length,
        completed: lessons.filter((l) => done.has(l)).length,
        completedAt: e.completedAt,
      }
    }),
    exams: exams.map((exam) => {
      const mine = attempts.filter((a) => a.examId === exam.id)
      const eligibility = retakeEligibility(mine.map(asPastAttempt), exam, at)
      const voucher = vouchers.find((v) => v.examId === exam.id && v.status === 'available' && v.expiresAt > at)
      const courseDone = enrolments.some((e) => e.courseId === exam.courseId && e.completedAt)
      const paidBy = !eligibility.allowed
        ? null
        : eligibility.freeRetake
          ? 'your free retake'
          : voucher
            ? 'your voucher'
            : courseDone && mine.length === 0
              ? 'your completed course'
              : null
      return {
        slug: exam.slug,
        title: exam.title,
        timeLimitMinutes: exam.timeLimitMinutes,
        canStart: Boolean(paidBy),
        paidBy,
        why: eligibility.allowed
          ? paidBy
            ? null
            : 'You need a voucher: buy one or ask your company for a seat.'
          : eligibility.reason,
        nextAllowedAt: eligibility.allowed ? null : eligibility.nextAllowedAt,
      }
    }),
    vouchers: vouchers.map((v) => ({
      id: v.id,
      exam: v.exam.title,
      status: v.status,
      expiresAt: v.expiresAt,
      orderId: v.orderId,
    })),
    attempts: attempts.map((a) => ({
      id: a.id,
      exam: a.exam.title,
      number: a.number,
      status: a.status,
      startedAt: a.startedAt,
      deadline: a.deadline,
      percent: a.percent,
      passed: a.passed,
    })),
    certificates: certificates.map((c) => ({
      id: c.id,
      exam: c.exam.title,
      issuedAt: c.issuedAt,
      expiresAt: c.expiresAt,
      revoked: Boolean(c.revokedAt),
    })),
    orders: orders.map((o) => ({
      id: o.id,
      product: o.product,
      productId: o.productId,
      amountMinor: o.amountMinor,
      currency: o.currency,
      status: o.status,
      /** Never paid and no longer payable: expired, or abandoned and waiting for the sweep to expire it. */
      stale: o.status === 'expired' || (o.status === 'open' && isAbandoned(o.createdAt, at)),
      /** Why the platform refunded it on its own (a payment it could not fulfil, issue 30). */
      refundReason: o.refundReason,
      createdAt: o.createdAt,
      refundable:
        o.status === 'paid' &&
        (o.product === 'course' || vouchers.some((v) => v.orderId === o.id && v.status === 'available')),
    })),
  }
}
