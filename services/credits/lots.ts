import type { Tx } from '../platform/db/client.ts'
import { Prisma } from '../platform/db/generated/client.ts'
import type { Lot } from './allocate-usage.ts'

/**
 * A contributor's accepted lots with what each still holds, locked (FOR UPDATE) for the rest of the
 * transaction: spends, expiries and revocations of one contributor happen one after the other.
 */
export async function lockLots(tx: Pick<Tx, '$queryRaw'>, organizationId: string, grantId?: string): Promise<Lot[]> {
  const rows = await tx.$queryRaw<
    {
      id: string
      amountMinor: bigint
      grantedAt: Date
      expiresAt: Date
      category: Lot['category']
      paused: boolean
      revokedAt: Date | null
    }[]
  >`SELECT g."id", g."amountMinor", g."grantedAt", g."expiresAt", g."category"::text AS "category", g."paused",
           g."revokedAt"
      FROM "CreditGrant" g
     WHERE g."organizationId" = ${organizationId} AND g."status" = 'approved' AND g."grantedAt" IS NOT NULL
       ${grantId ? Prisma.sql`AND g."id" = ${grantId}` : Prisma.empty}
     ORDER BY g."id"
       FOR UPDATE`
  if (rows.length === 0) return []
  const drawn = await tx.$queryRaw<{ grantId: string; drawn: bigint }[]>`
    SELECT "grantId", SUM("amountMinor")::bigint AS drawn FROM "CreditDraw"
     WHERE "grantId" IN (${Prisma.join(rows.map((r) => r.id))}) GROUP BY "grantId"`
  const byLot = new Map(drawn.map((d) => [d.grantId, d.drawn]))
  return rows.map((r) => ({
    id: r.id,
    remainingMinor: r.amountMinor - (byLot.get(r.id) ?? 0n),
    grantedAt: r.grantedAt,
    expiresAt: r.expiresAt,
    category: r.category,
    paused: r.paused,
    revoked: r.revokedAt !== null,
  }))
}
