import { z } from 'zod'
import { recordAuditEvent } from '../audit/record-audit-event.ts'
import { db } from '../db/client.ts'
import { AppError } from '../errors/app-error.ts'
import type { Actor } from '../identity/actor.ts'
import { now } from '../platform/clock.ts'
import { assertCanAsStaff } from '../tenancy/tenant-guard.ts'

export const revokeCertificateSchema = z.object({
  certificateId: z.string().min(1).max(64),
  reason: z.string().trim().min(5, 'Say why: the public page shows it.').max(500),
})

/** Revocation sets the certificate's bit on the public status list; the page says why. */
export async function revokeCertificate(actor: Actor, input: z.input<typeof revokeCertificateSchema>) {
  assertCanAsStaff(actor, 'certificates.revoke')
  const data = revokeCertificateSchema.parse(input)
  return db().$transaction(async (tx) => {
    const c = await tx.certificate.findUnique({ where: { id: data.certificateId } })
    if (!c) throw new AppError('not_found', 'No such certificate.')
    const done = await tx.certificate.updateMany({
      where: { id: c.id, revokedAt: null },
      data: { revokedAt: now(), revokedReason: data.reason },
    })
    if (!done.count) throw new AppError('conflict', 'This certificate is revoked already.')
    await recordAuditEvent(tx, {
      actor: { userId: actor.userId, email: actor.email },
      organizationId: c.organizationId,
      action: 'certificate.revoke',
      targetType: 'certificate',
      targetId: c.id,
      changes: { reason: data.reason },
    })
  })
}
