import { z } from 'zod'
import { refusedBy } from '../credits/db-refusal.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { now } from '../platform/clock.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { choiceIdOf } from './choice-values.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

export const saveAnswerSchema = z.object({
  attemptId: z.string().min(1).max(64),
  position: z.coerce.number().int().min(0).max(500),
  answer: z.array(z.string().min(1).max(64)).max(8),
})

const CLOSED = 'This attempt is closed: answers after its deadline or submission are refused.'

/**
 * Saves one answer as it is given. The candidate's own active attempt only; choices must be the
 * item's; a single-choice item takes one. The deadline is the server's and the database checks it
 * again, so an answer racing the deadline or a submission in another tab is refused, never kept.
 */
export async function saveAnswer(scope: TenantScope, input: z.input<typeof saveAnswerSchema>) {
  assertCan(scope, 'training.learn')
  const { attemptId, position, answer } = parseInput(saveAnswerSchema, input)
  const item = await scope.db.examAttemptItem.findFirst({
    where: { attemptId, position, attempt: { userId: scope.actor.userId } },
    select: {
      choiceOrder: true,
      itemVersion: { select: { kind: true } },
      attempt: { select: { status: true, deadline: true } },
    },
  })
  if (!item) throw new AppError('not_found', 'No such question in your attempt.')
  const at = now()
  if (item.attempt.status !== 'active' || at > item.attempt.deadline) throw new AppError('conflict', CLOSED)
  // The page's values are opaque per attempt (choice-values.ts): each must be one of this question's.
  const chosen = [...new Set(answer)].map((v) => choiceIdOf(attemptId, position, item.choiceOrder, v))
  if (chosen.some((c) => c === null))
    throw new AppError('invalid_input', 'That choice is not one of this question’s.', {
      answer: ['Pick a listed choice.'],
    })
  const unique = chosen.filter((c) => c !== null)
  if (item.itemVersion.kind === 'single' && unique.length > 1)
    throw new AppError('invalid_input', 'This question takes one answer.', { answer: ['Pick one choice.'] })
  try {
    // The attempt first, then the answer: the same lock order as a submission, so the two never deadlock.
    await scope.db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT 1 FROM "ExamAttempt" WHERE "id" = ${attemptId} FOR SHARE`
      await tx.examAttemptItem.update({
        where: { attemptId_position: { attemptId, position } },
        data: { answer: unique, answeredAt: at },
      })
    })
  } catch (err) {
    if (refusedBy(err, 'This attempt is closed')) throw new AppError('conflict', CLOSED)
    throw err
  }
  return { savedAt: at, deadline: item.attempt.deadline }
}
