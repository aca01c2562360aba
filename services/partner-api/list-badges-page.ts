import { z } from 'zod'
import { badgeLabel, badgeStanding } from '../certification/badges.ts'
import { appUrl } from '../platform/config/env.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { keysetWhere, pageOf, parsePageQuery } from './page-cursor.ts'
import { badgePageSchema } from './schemas.ts'
import { readBadgeSummary } from '../certification/stored-certification.ts'

/** GET /api/v1/badges: the partner's certification badges, revoked and expired ones included. */
export async function listBadgesPage(scope: TenantScope, query: unknown): Promise<z.output<typeof badgePageSchema>> {
  assertCan(scope, 'certification.view')
  const { limit, after } = parsePageQuery(query)
  const rows = await scope.db.certBadge.findMany({
    where: keysetWhere('issuedAt', after),
    orderBy: [{ issuedAt: 'desc' }, { id: 'desc' }],
    include: { request: { select: { productName: true, sku: true } } },
    take: limit + 1,
  })
  return badgePageSchema.parse(
    pageOf(
      rows,
      limit,
      (b) => b.issuedAt,
      (b) => {
        const { standing, validUntil } = badgeStanding(b)
        return {
          id: b.id,
          requestId: b.requestId,
          productName: b.request.productName,
          sku: b.request.sku,
          label: badgeLabel(readBadgeSummary(b.summary)),
          assurance: b.assurance,
          standing,
          issuedAt: b.issuedAt.toISOString(),
          validUntil: validUntil.toISOString(),
          revokedAt: b.revokedAt?.toISOString() ?? null,
          url: `${appUrl()}/badges/${b.id}`,
        }
      },
    ),
  )
}
