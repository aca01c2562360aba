import { recordAuditEvent } from '../audit/record-audit-event.ts'
import { AppError } from '../errors/app-error.ts'
import type { Actor } from '../identity/actor.ts'
import { now } from '../platform/clock.ts'
import { allPartnersScope, tenantScope } from '../tenancy/tenant-guard.ts'
import { type BadgeSummary, independentRuns, otherAcceptedRuns } from './badges.ts'
import { reproductionOf } from './partner-runners.ts'

/**
 * A certification engineer approves a badge as "reviewed" (Reproduced): only when a second accepted
 * run of the same product, on another runner and machine, reproduces both numbers within 5%; as
 * "lab-verified" when that run is by ggml's own lab runner. Or rejects it (revoked, reason kept).
 */
export async function reviewBadge(actor: Actor, badgeId: string, decision: 'approve' | 'reject', comment: string) {
  const { db } = allPartnersScope(actor, 'certification.view')
  const badge = await db.certBadge.findUnique({ where: { id: badgeId } })
  if (!badge) throw new AppError('not_found', 'No such badge.')
  const scope = await tenantScope(actor, { id: badge.organizationId }, 'certification.view')
  let level = 'reviewed'
  if (decision === 'approve') {
    const runs = await independentRuns(scope.db, badge, await otherAcceptedRuns(scope.db, badge))
    const summary = badge.summary as unknown as BadgeSummary
    // A reproduction by ggml's own lab runner makes the badge Lab-verified; by the partner's, Reproduced.
    const lab = new Set(
      (
        await scope.db.certRunner.findMany({
          where: { id: { in: runs.map((r) => r.runnerId) }, lab: true },
          select: { id: true },
        })
      ).map((r) => r.id),
    )
    if (
      reproductionOf(
        summary,
        runs.filter((r) => lab.has(r.runnerId)),
      )?.within
    )
      level = 'lab-verified'
    else if (!reproductionOf(summary, runs)?.within)
      throw new AppError(
        'conflict',
        'A reviewed badge needs a second accepted run on another unit (a different runner on a different machine) ' +
          'within 5% of these numbers; queue one first.',
      )
  }
  await scope.db.$transaction(async (tx) => {
    await tx.certBadge.update({
      where: { id: badgeId },
      data: decision === 'approve' ? { assurance: level, reviewedById: actor.userId } : { revokedAt: now() },
    })
    await recordAuditEvent(tx, {
      actor: { userId: actor.userId, email: actor.email },
      organizationId: badge.organizationId,
      action: `cert_badge.${decision}`,
      targetType: 'cert_badge',
      targetId: badgeId,
      changes: { comment, ...(decision === 'approve' && { assurance: level }) },
    })
  })
}
