import { z } from 'zod'
import { AppError } from '../platform/errors/app-error.ts'
import { now } from '../platform/clock.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { choiceValue } from './choice-values.ts'
import { choicesSchema } from './exam-policy.ts'

/**
 * What a candidate's browser receives for an attempt: stems, choices in the candidate's order and
 * their own answers, the server's deadline and clock. Never the key, never an explanation, never
 * which answer was right: the exam's policy releases only scores, so the bank stays secure (the
 * contract test greps every route's data for keys and explanations).
 */
// ExamAttempt.domainScores (a JSON column), written when the attempt is scored: per exam domain.
const domainScoresSchema = z.record(z.string(), z.object({ correct: z.number(), total: z.number() }))

export async function attemptView(scope: TenantScope, attemptId: string) {
  assertCan(scope, 'training.learn')
  const attempt = await scope.db.examAttempt.findFirst({
    where: { id: attemptId, userId: scope.actor.userId },
    select: {
      id: true,
      number: true,
      status: true,
      startedAt: true,
      deadline: true,
      submittedAt: true,
      submittedBy: true,
      correct: true,
      total: true,
      percent: true,
      passed: true,
      domainScores: true,
      extraMinutes: true,
      exam: { select: { slug: true, title: true, passPercent: true, timeLimitMinutes: true } },
      certificate: { select: { id: true, expiresAt: true } },
    },
  })
  if (!attempt) throw new AppError('not_found', 'No such attempt.')
  const base = {
    id: attempt.id,
    number: attempt.number,
    exam: attempt.exam,
    startedAt: attempt.startedAt.toISOString(),
    deadline: attempt.deadline.toISOString(),
    serverNow: now().toISOString(),
    extraMinutes: attempt.extraMinutes,
  }
  if (attempt.status === 'submitted')
    return {
      ...base,
      status: 'submitted' as const,
      result: {
        correct: attempt.correct!,
        total: attempt.total,
        percent: attempt.percent!,
        passed: attempt.passed!,
        submittedAt: attempt.submittedAt!.toISOString(),
        submittedBy: attempt.submittedBy,
        domains: domainScoresSchema.parse(attempt.domainScores),
        certificate: attempt.certificate
          ? { id: attempt.certificate.id, expiresAt: attempt.certificate.expiresAt.toISOString() }
          : null,
      },
    }
  const items = await scope.db.examAttemptItem.findMany({
    where: { attemptId },
    orderBy: { position: 'asc' },
    select: {
      position: true,
      choiceOrder: true,
      answer: true,
      domain: true,
      itemVersion: { select: { kind: true, stem: true, choices: true } },
    },
  })
  return {
    ...base,
    status: 'active' as const,
    items: items.map((i) => {
      const text = new Map(choicesSchema.parse(i.itemVersion.choices).map((c) => [c.id, c.text]))
      return {
        position: i.position,
        domain: i.domain,
        kind: i.itemVersion.kind,
        stem: i.itemVersion.stem,
        // Opaque per attempt and question: the bank's ids stay on the server (choice-values.ts).
        choices: i.choiceOrder.map((id) => ({ id: choiceValue(attempt.id, i.position, id), text: text.get(id)! })),
        answer: i.answer.map((id) => choiceValue(attempt.id, i.position, id)),
      }
    }),
  }
}
