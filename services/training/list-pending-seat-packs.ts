import { moneyIn } from '../engagements/engagement-money.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { SEAT_PRICE_FLOOR_MINOR } from './sell-seat-pack.ts'

/** Seat packs of this organization waiting for finance to approve a price under the floor, for the portal. */
export async function listPendingSeatPacks(scope: TenantScope) {
  assertCan(scope, 'training.sell_seats')
  const packs = await scope.db.trainingSeatPack.findMany({
    where: { status: 'pending_approval' },
    orderBy: { createdAt: 'asc' },
    include: { course: { select: { title: true } }, exam: { select: { title: true } } },
  })
  return packs.map((p) => ({
    id: p.id,
    what: `${p.course.title} + ${p.exam.title}: ${p.seats} seats`,
    price: moneyIn(p.priceMinor, p.currency),
    floor: moneyIn(SEAT_PRICE_FLOOR_MINOR * BigInt(p.seats), p.currency),
    /** The seller cannot decide their own pack: the page shows them it is waiting, not the buttons. */
    mine: p.requestedById === scope.actor.userId,
  }))
}
