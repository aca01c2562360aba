import { recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { AppError } from '../platform/errors/app-error.ts'
import type { Actor } from '../identity/actor.ts'
import { now } from '../platform/clock.ts'
import { allPartnersScope, tenantScope } from '../tenancy/tenant-guard.ts'
import { approvalPrerequisites } from './approval-prerequisites.ts'
import { recordWebhookEvent } from '../webhooks/record-webhook-event.ts'

/**
 * A certification engineer approves a badge (held or self-measured) when approvalPrerequisites
 * allows, to the level it names, or rejects it (revoked, reason kept).
 */
export async function reviewBadge(actor: Actor, badgeId: string, decision: 'approve' | 'reject', comment: string) {
  const { db } = allPartnersScope(actor, 'certification.review')
  const badge = await db.certBadge.findUnique({ where: { id: badgeId } })
  if (!badge) throw new AppError('not_found', 'No such badge.')
  // A decision is taken once: a second post (a double click, a replayed form, an approval of a revoked
  // badge) would revoke again and tell the partner twice, or raise a revoked badge's level.
  if (badge.revokedAt) throw new AppError('conflict', 'This badge is already revoked: there is nothing to decide.')
  const scope = await tenantScope(actor, { id: badge.organizationId }, 'certification.review')
  let level = 'reviewed'
  if (decision === 'approve') {
    const ready = await approvalPrerequisites(scope.db, badge)
    if (!ready.level) throw new AppError('conflict', ready.reason)
    level = ready.level
    if (badge.assurance === level) throw new AppError('conflict', `This badge is already ${level}.`)
  }
  await scope.db.$transaction(async (tx) => {
    // Only from the state read above: of two decisions racing, the second finds it changed and stops.
    const { count } = await tx.certBadge.updateMany({
      where: { id: badgeId, revokedAt: null, assurance: badge.assurance },
      data: decision === 'approve' ? { assurance: level, reviewedById: actor.userId } : { revokedAt: now() },
    })
    if (count === 0) throw new AppError('conflict', 'Someone decided this badge a moment ago: reload to see it.')
    await recordAuditEvent(tx, {
      actor: { userId: actor.userId, email: actor.email },
      organizationId: badge.organizationId,
      action: `cert_badge.${decision}`,
      targetType: 'cert_badge',
      targetId: badgeId,
      changes: { comment, ...(decision === 'approve' && { assurance: level }) },
    })
    if (decision === 'reject')
      await recordWebhookEvent(tx, badge.organizationId, 'badge.revoked', { badgeId, requestId: badge.requestId })
  })
}
