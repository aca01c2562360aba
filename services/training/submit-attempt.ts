import { z } from 'zod'
import { appUrl } from '../platform/config/env.ts'
import { auditActorOf, recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import type { Tx } from '../platform/db/client.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { mailEach } from '../engagements/notify.ts'
import { now } from '../platform/clock.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { issueCertificate } from './issue-certificate.ts'
import { scoreAttempt } from './score-attempt.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

export const submitAttemptSchema = z.object({ attemptId: z.string().min(1).max(64) })

/**
 * Closes an attempt and scores it, once: the conditional update from active is the race's referee,
 * so of two submissions (two tabs, or the candidate and the deadline job) exactly one scores it.
 * A pass issues the certificate in the same transaction; the result is mailed to the candidate.
 */
export async function closeAttempt(tx: Tx, attemptId: string, by: 'candidate' | 'deadline') {
  // Answers being saved hold a share lock on the attempt (the trigger's FOR SHARE): wait for them.
  await tx.$queryRaw`SELECT 1 FROM "ExamAttempt" WHERE "id" = ${attemptId} FOR UPDATE`
  const at = now()
  const attempt = await tx.examAttempt.findUnique({
    where: { id: attemptId },
    include: { exam: true, user: { select: { name: true, email: true } } },
  })
  if (!attempt) throw new AppError('not_found', 'No such attempt.')
  if (attempt.status !== 'active') return null
  const items = await tx.examAttemptItem.findMany({
    where: { attemptId },
    orderBy: { position: 'asc' },
    include: { itemVersion: { select: { key: true } } },
  })
  const score = scoreAttempt(
    items.map((i) => ({ domain: i.domain, key: i.itemVersion.key, answer: i.answer })),
    attempt.exam.passPercent,
  )
  const closedAt = by === 'deadline' ? attempt.deadline : at
  const won = await tx.examAttempt.updateMany({
    where: { id: attemptId, status: 'active' },
    data: {
      status: 'submitted',
      submittedAt: closedAt,
      submittedBy: by,
      correct: score.correct,
      percent: score.percent,
      passed: score.passed,
      domainScores: score.domains,
      resultReleasedAt: at,
    },
  })
  if (!won.count) return null
  for (const [position, correct] of score.perItem.entries())
    await tx.examAttemptItem.update({ where: { attemptId_position: { attemptId, position } }, data: { correct } })
  let certificateId: string | null = null
  if (score.passed)
    certificateId = await issueCertificate(
      tx,
      { ...attempt, submittedAt: closedAt },
      attempt.user.name,
      attempt.exam.validityMonths,
      closedAt,
    )
  const org = await tx.organization.findUniqueOrThrow({ where: { id: attempt.organizationId }, select: { slug: true } })
  await mailEach(
    tx,
    [attempt.user.email],
    `${attempt.exam.title}: ${score.passed ? 'passed' : 'result'}`,
    [
      `You answered ${score.correct} of ${score.total} correctly (${score.percent}%); ` +
        `the pass mark is ${attempt.exam.passPercent}%.`,
      score.passed
        ? 'You passed. Your certificate is issued and anyone can verify it on its public page.'
        : 'You did not pass this time. Your result page shows each domain and when you can retake.',
      ...(by === 'deadline' ? ['The time was up, so your answers were submitted at the deadline.'] : []),
    ],
    certificateId
      ? { label: 'Your certificate', path: `/certificates/${certificateId}` }
      : { label: 'Your result', path: `/learn/${org.slug}/attempts/${attemptId}` },
  )
  return { ...score, certificateId, url: `${appUrl()}/learn/${org.slug}/attempts/${attemptId}` }
}

export async function submitAttempt(scope: TenantScope, input: z.input<typeof submitAttemptSchema>) {
  assertCan(scope, 'training.learn')
  const { attemptId } = parseInput(submitAttemptSchema, input)
  const mine = await scope.db.examAttempt.findFirst({ where: { id: attemptId, userId: scope.actor.userId } })
  if (!mine) throw new AppError('not_found', 'No such attempt.')
  if (mine.status !== 'active') throw new AppError('conflict', 'This attempt was already submitted.')
  const by = now() > mine.deadline ? 'deadline' : 'candidate'
  return scope.db.$transaction(async (tx) => {
    const result = await closeAttempt(tx, attemptId, by)
    if (!result) throw new AppError('conflict', 'This attempt was already submitted.')
    await recordAuditEvent(tx, {
      actor: auditActorOf(scope),
      organizationId: scope.organization.id,
      action: 'exam.attempt_submit',
      targetType: 'exam_attempt',
      targetId: attemptId,
      changes: { by, correct: result.correct, total: result.total, passed: result.passed },
    })
    return result
  })
}
