import { approvalPrerequisites } from '../certification/approval-prerequisites.ts'
import { badgeLabel } from '../certification/badges.ts'
import { canAsStaff } from '../identity/actor.ts'
import { allPartnersScope } from '../tenancy/tenant-guard.ts'
import { isoDay, ROWS_PER_SOURCE, type InboxSourceReader } from './inbox-item.ts'
import { readBadgeSummary } from '../certification/stored-certification.ts'

// The badges the review queue lists (review-queue.ts): held or self-measured, not revoked.
const unreviewed = { assurance: { in: ['held', 'runner-verified'] }, revokedAt: null }

export const waitingBadges: InboxSourceReader = {
  source: 'badge',
  applies: (actor) => canAsStaff(actor, 'certification.review'),
  count: (actor) => allPartnersScope(actor, 'certification.review').db.certBadge.count({ where: unreviewed }),
  async list(actor) {
    const { db } = allPartnersScope(actor, 'certification.review')
    const badges = await db.certBadge.findMany({
      where: unreviewed,
      include: { request: { select: { productName: true } } },
      orderBy: { issuedAt: 'asc' },
      take: ROWS_PER_SOURCE,
    })
    const orgs = new Map(
      (
        await db.organization.findMany({
          where: { id: { in: badges.map((b) => b.organizationId) } },
          select: { id: true, name: true },
        })
      ).map((o) => [o.id, o.name]),
    )
    return Promise.all(
      badges.map(async (b) => {
        // The same rule approval is refused by: the button says why it is not there.
        const ready = await approvalPrerequisites(db, b)
        const summary = readBadgeSummary(b.summary)
        return {
          source: 'badge' as const,
          id: b.id,
          organizationId: b.organizationId,
          kind: b.assurance === 'held' ? 'Badge held for review' : 'Badge to review',
          title: `${orgs.get(b.organizationId) ?? ''}: ${b.request.productName} · ${badgeLabel(summary)}`,
          detail: ready.flags.length
            ? `Flagged: ${ready.flags.map((f) => `${f.check} (${f.detail})`).join('; ')}`
            : ready.reason,
          since: isoDay(b.issuedAt),
          href: '/certification',
          approveBlocked: ready.level ? null : ready.reason,
        }
      }),
    )
  },
}
