import { unscopedDb } from '../platform/db/unscoped.ts'
import type { JobHandler } from '../platform/jobs/define-job.ts'
import { now } from '../platform/clock.ts'
import { systemScope } from '../tenancy/tenant-guard.ts'
import { closeLot } from './close-lot.ts'
import { lockLots } from './lots.ts'
import { lastDayOf } from './program-terms.ts'

/**
 * Expires every lot whose last day has ended: what it still holds becomes breakage, dated its last
 * day. Idempotent (one draw and one entry per lot, keyed by it), so a rerun or a late run is harmless.
 */
export async function expireLots(): Promise<{ expired: number; amountMinor: bigint }> {
  const due = await unscopedDb('platform job').creditGrant.findMany({
    where: {
      status: 'approved',
      revokedAt: null,
      expiresAt: { lte: now() },
      draws: { none: { kind: 'expiry' } },
    },
    select: { id: true, organizationId: true, expiresAt: true },
    orderBy: { expiresAt: 'asc' },
    take: 5000,
  })
  let expired = 0
  let amountMinor = 0n
  for (const g of due) {
    const scope = await systemScope(g.organizationId)
    const lastDay = lastDayOf(g.expiresAt!)
    const taken = await scope.db.$transaction(async (tx) => {
      const [lot] = await lockLots(tx, g.organizationId, g.id)
      return lot && !lot.revoked ? closeLot(tx, g.organizationId, lot, 'expiry', lastDay) : 0n
    })
    if (taken > 0n) {
      expired++
      amountMinor += taken
    }
  }
  return { expired, amountMinor }
}

export const handleExpireCredits: JobHandler<'credits.expire-lots'> = async () => {
  await expireLots()
}
