import { z } from 'zod'
import { recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { newId } from '../platform/db/ids.ts'
import { AppError } from '../platform/errors/app-error.ts'
import type { Actor } from '../identity/actor.ts'
import { now } from '../platform/clock.ts'
import { examDecider, mayDecideExamRequest } from './exam-approvals.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

export const decideExamApprovalSchema = z.object({
  requestId: z.string().min(1).max(64),
  decision: z.enum(['approve', 'decline']),
  /** Why a request is declined (the inbox asks for it); kept in the audit log. */
  reason: z.string().trim().max(500).optional(),
})

/**
 * The second pair of eyes (issue 30): a second instructor or an admin approves or declines a request
 * for extra time or a certificate's revocation. Approved, it takes effect here, in the same transaction
 * as the decision; the requester can never decide their own (the database refuses it too).
 */
export async function decideExamApproval(actor: Actor, input: z.input<typeof decideExamApprovalSchema>) {
  const { requestId, decision, reason } = parseInput(decideExamApprovalSchema, input)
  return unscopedDb('staff view').$transaction(async (tx) => {
    const r = await tx.examApprovalRequest.findUnique({ where: { id: requestId } })
    if (!r) throw new AppError('not_found', 'No such request.')
    // The candidate (or the certificate's holder) never decides about their own exam, whatever their role.
    const subject =
      r.userId ??
      (r.certificateId ? (await tx.certificate.findUnique({ where: { id: r.certificateId } }))?.userId : null)
    if (subject === actor.userId)
      throw new AppError('forbidden', 'This request is about your own exam: another instructor or an admin decides it.')
    if (!mayDecideExamRequest(r.kind, { requester: r.requestedById === actor.userId, ...examDecider(actor) }))
      throw new AppError(
        'forbidden',
        r.requestedById === actor.userId
          ? 'You asked for this: a second instructor or an admin decides it.'
          : 'Only a second instructor or an admin decides this.',
      )
    const at = now()
    const decided = await tx.examApprovalRequest.updateMany({
      where: { id: r.id, decidedAt: null },
      data: { decision: decision === 'approve' ? 'approved' : 'declined', decidedById: actor.userId, decidedAt: at },
    })
    if (!decided.count) throw new AppError('conflict', 'This request was decided already.')
    const who = { userId: actor.userId, email: actor.email }
    if (decision === 'decline') {
      await recordAuditEvent(tx, {
        actor: who,
        organizationId: r.organizationId,
        action: r.kind === 'accommodation' ? 'exam.accommodation_declined' : 'certificate.revocation_declined',
        targetType: 'exam_approval_request',
        targetId: r.id,
        changes: { requestedById: r.requestedById, reason },
      })
      return { kind: r.kind, decision }
    }
    if (r.kind === 'accommodation') {
      const row = await tx.examAccommodation.upsert({
        where: { userId_examId: { userId: r.userId!, examId: r.examId! } },
        create: {
          id: newId(),
          organizationId: r.organizationId,
          userId: r.userId!,
          examId: r.examId!,
          extraMinutes: r.extraMinutes!,
          reason: r.reason,
          approvedById: actor.userId,
        },
        update: { extraMinutes: r.extraMinutes!, reason: r.reason, approvedById: actor.userId },
      })
      await recordAuditEvent(tx, {
        actor: who,
        organizationId: r.organizationId,
        action: 'exam.accommodation_approve',
        targetType: 'exam_accommodation',
        targetId: row.id,
        changes: { requestId: r.id, requestedById: r.requestedById, extraMinutes: r.extraMinutes, reason: r.reason },
      })
      return { kind: r.kind, decision }
    }
    const revoked = await tx.certificate.updateMany({
      where: { id: r.certificateId!, revokedAt: null },
      data: { revokedAt: at, revokedReason: r.reason },
    })
    if (!revoked.count) throw new AppError('conflict', 'This certificate is revoked already.')
    await recordAuditEvent(tx, {
      actor: who,
      organizationId: r.organizationId,
      action: 'certificate.revoke',
      targetType: 'certificate',
      targetId: r.certificateId!,
      changes: { requestId: r.id, requestedById: r.requestedById, reason: r.reason },
    })
    return { kind: r.kind, decision }
  })
}
