import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import { auditActorOf, recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { newId } from '../platform/db/ids.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { refusedBy } from '../credits/db-refusal.ts'
import { now } from '../platform/clock.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { assembleForm } from './assemble-form.ts'
import { blueprintSchema, choicesSchema } from './exam-policy.ts'
import { asPastAttempt, retakeEligibility } from './retake-policy.ts'
import { errorCode } from '../platform/errors/error-code.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

export const startAttemptSchema = z.object({ examSlug: z.string().min(1).max(100) })

/**
 * Starts the candidate's attempt: the policy allows it (waits, yearly cap, one active attempt), it is
 * paid for (a voucher, the free retake, or the course that includes its first attempt), and a form is
 * drawn from the live bank. The exam row is locked while the form is drawn, so exposure counts stay
 * true under concurrent starts; the database's partial unique index keeps one active attempt per
 * candidate whatever races past these checks.
 */
export async function startAttempt(scope: TenantScope, input: z.input<typeof startAttemptSchema>) {
  assertCan(scope, 'training.learn')
  const { examSlug } = parseInput(startAttemptSchema, input)
  const userId = scope.actor.userId
  const exam = await unscopedDb('catalogue').exam.findUnique({ where: { slug: examSlug } })
  if (!exam?.published) throw new AppError('not_found', 'No such exam.')
  try {
    return await scope.db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT 1 FROM "Exam" WHERE "id" = ${exam.id} FOR UPDATE`
      const locked = await tx.exam.findUniqueOrThrow({ where: { id: exam.id } })
      const at = now()
      const past = await tx.examAttempt.findMany({ where: { userId, examId: exam.id }, orderBy: { number: 'asc' } })
      const active = await tx.examAttempt.findFirst({ where: { userId, status: 'active' }, select: { id: true } })
      if (active) throw new AppError('conflict', 'You have an attempt in progress: finish it first.')
      const eligibility = retakeEligibility(past.map(asPastAttempt), locked, at)
      if (!eligibility.allowed) throw new AppError('conflict', eligibility.reason)
      // What pays for this attempt, most specific first.
      let voucherId: string | null = null
      let windowClose: Date | null = null
      if (!eligibility.freeRetake) {
        const voucher = await tx.examVoucher.findFirst({
          where: { userId, examId: exam.id, status: 'available', expiresAt: { gt: at } },
          orderBy: { expiresAt: 'asc' },
        })
        const courseIncluded =
          !voucher &&
          past.length === 0 &&
          exam.courseId !== null &&
          (await tx.enrolment.count({
            where: { userId, courseId: exam.courseId, completedAt: { not: null }, revokedAt: null },
          })) > 0
        if (voucher) {
          const used = await tx.examVoucher.updateMany({
            where: { id: voucher.id, status: 'available' },
            data: { status: 'used', usedAt: at },
          })
          if (!used.count) throw new AppError('conflict', 'That voucher was just used: reload the page.')
          voucherId = voucher.id
          windowClose = voucher.expiresAt
        } else if (!courseIncluded) {
          throw new AppError(
            'conflict',
            `You need an exam voucher for ${exam.title}: buy one on the exam's page, or ask your company for a seat.`,
          )
        }
      }
      const bank = await tx.examItem.findMany({
        where: { examId: exam.id, retiredAt: null, liveVersionId: { not: null } },
        select: { id: true, domain: true, exposureCount: true, liveVersion: { select: { id: true, choices: true } } },
      })
      const seen = await tx.examAttemptItem.findMany({
        where: { attempt: { userId, examId: exam.id } },
        select: { itemVersion: { select: { itemId: true } } },
      })
      const seed = randomBytes(16).toString('hex')
      const form = assembleForm({
        seed,
        bank: bank.map((i) => ({
          itemId: i.id,
          versionId: i.liveVersion!.id,
          domain: i.domain,
          exposureCount: i.exposureCount,
          choiceIds: choicesSchema.parse(i.liveVersion!.choices).map((c) => c.id),
        })),
        policy: { ...locked, blueprint: blueprintSchema.parse(locked.blueprint) },
        formsAssembled: locked.formsAssembled,
        seenItemIds: new Set(seen.map((s) => s.itemVersion.itemId)),
      })
      const accommodation = await tx.examAccommodation.findUnique({
        where: { userId_examId: { userId, examId: exam.id } },
      })
      const extraMinutes = accommodation?.extraMinutes ?? 0
      const byTime = new Date(at.getTime() + (locked.timeLimitMinutes + extraMinutes) * 60_000)
      const deadline = windowClose && windowClose < byTime ? windowClose : byTime
      const attempt = await tx.examAttempt.create({
        data: {
          id: newId(),
          organizationId: scope.organization.id,
          examId: exam.id,
          userId,
          number: (past.at(-1)?.number ?? 0) + 1,
          seed,
          voucherId,
          freeRetake: eligibility.freeRetake,
          extraMinutes,
          startedAt: at,
          deadline,
          total: form.length,
        },
      })
      await tx.examAttemptItem.createMany({
        data: form.map((f, position) => ({
          attemptId: attempt.id,
          organizationId: scope.organization.id,
          position,
          itemVersionId: f.versionId,
          domain: f.domain,
          choiceOrder: f.choiceOrder,
          answer: [],
        })),
      })
      await tx.examItem.updateMany({
        where: { id: { in: form.map((f) => f.itemId) } },
        data: { exposureCount: { increment: 1 } },
      })
      await tx.exam.update({ where: { id: exam.id }, data: { formsAssembled: { increment: 1 } } })
      await recordAuditEvent(tx, {
        actor: auditActorOf(scope),
        organizationId: scope.organization.id,
        action: 'exam.attempt_start',
        targetType: 'exam_attempt',
        targetId: attempt.id,
        changes: {
          exam: exam.slug,
          number: attempt.number,
          paidBy: voucherId ? 'voucher' : eligibility.freeRetake ? 'free retake' : 'course',
        },
      })
      return attempt
    })
  } catch (err) {
    if (refusedBy(err, 'ExamAttempt_one_active') || errorCode(err) === 'P2002')
      throw new AppError('conflict', 'You have an attempt in progress: finish it first.')
    throw err
  }
}
