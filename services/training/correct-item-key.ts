import { z } from 'zod'
import { recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { newId } from '../platform/db/ids.ts'
import { mailEach } from '../engagements/notify.ts'
import { AppError } from '../platform/errors/app-error.ts'
import type { Actor } from '../identity/actor.ts'
import { now } from '../platform/clock.ts'
import { assertCanAsStaff } from '../tenancy/tenant-guard.ts'
import { issueCertificate } from './issue-certificate.ts'
import { scoreAttempt } from './score-attempt.ts'
import { choicesSchema } from './exam-policy.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

export const correctKeySchema = z.object({
  versionId: z.string().min(1).max(64),
  key: z.array(z.string().min(1).max(8)).min(1, 'Choose the correct answer(s).').max(8),
  reason: z.string().trim().min(10, 'Explain the correction (at least 10 characters): candidates are told.').max(1000),
})

/**
 * A wrong key, found after attempts used it: the key of that version is corrected and every
 * submitted attempt that drew it is scored again. A result that changes is recorded, audited and
 * mailed; a new pass issues the certificate, a lost pass revokes it (on the public status list).
 */
export async function correctItemKey(actor: Actor, input: z.input<typeof correctKeySchema>) {
  assertCanAsStaff(actor, 'exams.correct_key')
  const data = parseInput(correctKeySchema, input)
  return unscopedDb('staff view').$transaction(async (tx) => {
    const v = await tx.examItemVersion.findUnique({ where: { id: data.versionId } })
    if (!v) throw new AppError('not_found', 'No such item version.')
    const ids = choicesSchema.parse(v.choices).map((c) => c.id)
    const key = [...new Set(data.key)]
    if (key.some((k) => !ids.includes(k))) throw new AppError('invalid_input', 'The key must name this item’s choices.')
    if (v.kind === 'single' && key.length !== 1)
      throw new AppError('invalid_input', 'A single-choice item has one key.')
    if (key.length === v.key.length && key.every((k) => v.key.includes(k)))
      throw new AppError('conflict', 'That is already the key.')
    await tx.$executeRaw`SELECT set_config('ggml.key_correction', 'on', true)`
    await tx.examItemVersion.update({ where: { id: v.id }, data: { key } })
    await tx.$executeRaw`SELECT set_config('ggml.key_correction', 'off', true)`
    const affected = await tx.examAttempt.findMany({
      where: { status: 'submitted', items: { some: { itemVersionId: v.id } } },
      include: {
        exam: true,
        user: { select: { email: true, name: true } },
        certificate: true,
        items: { orderBy: { position: 'asc' }, include: { itemVersion: { select: { key: true } } } },
      },
    })
    let changed = 0
    for (const a of affected) {
      const score = scoreAttempt(
        a.items.map((i) => ({ domain: i.domain, key: i.itemVersion.key, answer: i.answer })),
        a.exam.passPercent,
      )
      for (const [position, correct] of score.perItem.entries())
        if (a.items[position]!.correct !== correct)
          await tx.examAttemptItem.update({
            where: { attemptId_position: { attemptId: a.id, position } },
            data: { correct },
          })
      await tx.examAttempt.update({
        where: { id: a.id },
        data: { correct: score.correct, percent: score.percent, passed: score.passed, domainScores: score.domains },
      })
      if (score.correct === a.correct) continue
      changed++
      if (score.passed && !a.passed && !a.certificate)
        await issueCertificate(tx, { ...a, submittedAt: a.submittedAt! }, a.user.name, a.exam.validityMonths, now())
      if (!score.passed && a.passed && a.certificate && !a.certificate.revokedAt)
        await tx.certificate.update({
          where: { id: a.certificate.id },
          data: { revokedAt: now(), revokedReason: `Re-scored after an answer key correction: ${data.reason}` },
        })
      const org = await tx.organization.findUniqueOrThrow({ where: { id: a.organizationId }, select: { slug: true } })
      await mailEach(
        tx,
        [a.user.email],
        `${a.exam.title}: your result was re-scored`,
        [
          `An answer key on your exam was corrected: ${data.reason}`,
          `Your score changed from ${a.correct} to ${score.correct} of ${a.total} (${score.percent}%): ` +
            (score.passed === a.passed
              ? `still ${score.passed ? 'a pass' : 'not a pass'}.`
              : score.passed
                ? 'you now pass.'
                : 'this is no longer a pass.'),
        ],
        { label: 'Your result', path: `/learn/${org.slug}/attempts/${a.id}` },
      )
    }
    await tx.examKeyCorrection.create({
      data: {
        id: newId(),
        itemVersionId: v.id,
        previousKey: v.key,
        correctedKey: key,
        reason: data.reason,
        correctedById: actor.userId,
        rescored: affected.length,
        changedResults: changed,
      },
    })
    await recordAuditEvent(tx, {
      actor: { userId: actor.userId, email: actor.email },
      organizationId: null,
      action: 'exam_item.correct_key',
      targetType: 'exam_item_version',
      targetId: v.id,
      changes: { before: v.key, after: key, reason: data.reason, rescored: affected.length, changed },
    })
    return { rescored: affected.length, changed }
  })
}
