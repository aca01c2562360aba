import { recordAuditEvent, type AuditEntry } from '../platform/audit/record-audit-event.ts'
import type { Tx } from '../platform/db/client.ts'
import type { Role } from '../platform/db/generated/enums.ts'
import { newId } from '../platform/db/ids.ts'
import { linkToken, sha256 } from '../identity/tokens.ts'
import { enqueueJob } from '../platform/jobs/enqueue-job.ts'
import { nowMs } from '../platform/clock.ts'
import { INVITATION_TTL_MS } from './team.ts'

/** An invitation row, its email job and its audit event, in the caller's transaction. */
export async function recordInvitation(
  tx: Tx,
  invitation: { organizationId: string; email: string; role: Role; invitedById: string | null },
  actor: AuditEntry['actor'],
) {
  const id = newId()
  const row = await tx.invitation.create({
    data: {
      id,
      ...invitation,
      tokenHash: sha256(linkToken('invitation-link', id)),
      expiresAt: new Date(nowMs() + INVITATION_TTL_MS),
    },
  })
  // The link is made when the job sends it: nothing secret is written to the outbox.
  await enqueueJob(tx, 'identity.send-invitation', { invitationId: id })
  await recordAuditEvent(tx, {
    actor,
    organizationId: invitation.organizationId,
    action: 'invitation.create',
    targetType: 'invitation',
    targetId: id,
    changes: { after: { email: invitation.email, role: invitation.role } },
  })
  return row
}
