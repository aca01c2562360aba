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

export const revokeCertificateSchema = z.object({
  certificateId: z.string().min(1).max(64),
  reason: z.string().trim().min(5, 'Say why: the public page shows it.').max(500),
})

/**
 * An instructor or an admin asks to revoke a certificate (issue 30): it stays valid until a second
 * instructor or an admin approves (decide-exam-approval.ts), which sets its bit on the public status list.
 */
export async function requestCertificateRevocation(actor: Actor, input: z.input<typeof revokeCertificateSchema>) {
  assertCanAsStaff(actor, 'certificates.revoke')
  const data = parseInput(revokeCertificateSchema, input)
  const c = await unscopedDb('staff view').certificate.findUnique({ where: { id: data.certificateId } })
  if (!c) throw new AppError('not_found', 'No such certificate.')
  if (c.revokedAt) throw new AppError('conflict', 'This certificate is revoked already.')
  try {
    return await unscopedDb('staff view').$transaction(async (tx) => {
      const request = {
        id: newId(),
        kind: 'certificate_revocation' as const,
        organizationId: c.organizationId,
        certificateId: c.id,
        reason: data.reason,
        requestedById: actor.userId,
        createdAt: now(),
      }
      await tx.examApprovalRequest.create({ data: request })
      await recordAuditEvent(tx, {
        actor: { userId: actor.userId, email: actor.email },
        organizationId: c.organizationId,
        action: 'certificate.revocation_requested',
        targetType: 'certificate',
        targetId: c.id,
        changes: { requestId: request.id, reason: data.reason },
      })
      return request
    })
  } catch (e) {
    throw openRequestConflict(e, 'A revocation of this certificate is already waiting for approval.')
  }
}
