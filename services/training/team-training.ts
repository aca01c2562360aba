import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'

/** A company admin's view: seat packs, who holds each seat, their course progress and exam results. */
export async function teamTraining(scope: TenantScope) {
  assertCan(scope, 'training.manage_seats')
  const packs = await scope.db.trainingSeatPack.findMany({
    orderBy: { createdAt: 'desc' },
    include: { course: { include: { modules: { include: { lessons: { select: { id: true } } } } } }, exam: true },
  })
  const seats = await scope.db.trainingSeat.findMany({ where: { releasedAt: null }, orderBy: { assignedAt: 'asc' } })
  const users = seats.flatMap((s) => (s.userId ? [s.userId] : []))
  const [completions, attempts, vouchers, certificates] = await Promise.all([
    scope.db.lessonCompletion.findMany({ where: { userId: { in: users } }, select: { userId: true, lessonId: true } }),
    scope.db.examAttempt.findMany({ where: { userId: { in: users } }, orderBy: { number: 'asc' } }),
    scope.db.examVoucher.findMany({ where: { seatId: { in: seats.map((s) => s.id) } } }),
    scope.db.certificate.findMany({ where: { userId: { in: users }, revokedAt: null } }),
  ])
  return packs.map((p) => {
    const lessons = p.course.modules.flatMap((m) => m.lessons.map((l) => l.id))
    const mine = seats.filter((s) => s.packId === p.id)
    return {
      id: p.id,
      course: p.course.title,
      exam: p.exam.title,
      // A pack under the price floor gives no seats until ggml finance approves it.
      status: p.status,
      seats: p.seats,
      assigned: mine.length,
      people: mine.map((s) => {
        const last = attempts.filter((a) => a.userId === s.userId && a.examId === p.examId).at(-1)
        return {
          seatId: s.id,
          email: s.email,
          joined: Boolean(s.userId),
          lessonsDone: completions.filter((c) => c.userId === s.userId && lessons.includes(c.lessonId)).length,
          lessons: lessons.length,
          voucher: vouchers.find((v) => v.seatId === s.id)?.status ?? 'pending',
          lastAttempt: last ? { status: last.status, percent: last.percent, passed: last.passed } : null,
          certificateId: certificates.find((c) => c.userId === s.userId && c.examId === p.examId)?.id ?? null,
        }
      }),
    }
  })
}
