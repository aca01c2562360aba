import { z } from 'zod'
import { recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { newId } from '../platform/db/ids.ts'
import { AppError } from '../platform/errors/app-error.ts'
import type { Actor } from '../identity/actor.ts'
import { now } from '../platform/clock.ts'
import { assertCanAsStaff } from '../tenancy/tenant-guard.ts'
import { openRequestConflict } from './exam-approvals.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

export const accommodationSchema = z.object({
  email: z.email('Enter the candidate’s email.').transform((e) => e.toLowerCase()),
  examSlug: z.string().min(1).max(100),
  extraMinutes: z.coerce.number().int().min(1, 'At least one minute.').max(600, 'At most 600 minutes.'),
  reason: z.string().trim().min(5, 'Record why (the documentation you saw).').max(1000),
})

/**
 * An instructor asks for extra time for one candidate on one exam (issue 30): nothing changes until a
 * second instructor or an admin approves it (decide-exam-approval.ts); later attempts get it then.
 */
export async function requestAccommodation(actor: Actor, input: z.input<typeof accommodationSchema>) {
  assertCanAsStaff(actor, 'exams.accommodate')
  const data = parseInput(accommodationSchema, input)
  const exam = await unscopedDb('catalogue').exam.findUnique({ where: { slug: data.examSlug } })
  const user = await unscopedDb('staff view').user.findUnique({
    where: { email: data.email },
    include: { memberships: { where: { role: 'learner' }, select: { organizationId: true } } },
  })
  if (!exam) throw new AppError('not_found', 'No such exam.')
  const organizationId = user?.memberships[0]?.organizationId
  if (!user || !organizationId)
    throw new AppError('not_found', 'No learner has that email.', { email: ['No learner has that email.'] })
  try {
    return await unscopedDb('staff view').$transaction(async (tx) => {
      const request = {
        id: newId(),
        kind: 'accommodation' as const,
        organizationId,
        userId: user.id,
        examId: exam.id,
        extraMinutes: data.extraMinutes,
        reason: data.reason,
        requestedById: actor.userId,
        createdAt: now(),
      }
      await tx.examApprovalRequest.create({ data: request })
      await recordAuditEvent(tx, {
        actor: { userId: actor.userId, email: actor.email },
        organizationId,
        action: 'exam.accommodation_requested',
        targetType: 'exam_approval_request',
        targetId: request.id,
        changes: { exam: exam.slug, candidate: data.email, extraMinutes: data.extraMinutes, reason: data.reason },
      })
      return request
    })
  } catch (e) {
    throw openRequestConflict(e, `An accommodation for ${data.email} on this exam is already waiting for approval.`)
  }
}
