import { z } from 'zod'
import { badgeLabel, badgeStanding, type BadgeSummary } from '../certification/badges.ts'
import { appUrl } from '../config/env.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { keysetWhere, pageOf, parsePageQuery } from './page-cursor.ts'
import { badgePageSchema } from './schemas.ts'

// What the label reads of a badge's summary column, parsed rather than cast.
const speed = z.object({ n: z.number(), ts: z.number(), sd: z.number() })
const summarySchema = z.looseObject({
  shape: z.string(),
  type: z.string(),
  pp: speed,
  tg: speed,
  cpu: z.string(),
  backends: z.array(z.string()),
})

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
          label: badgeLabel(summarySchema.parse(b.summary) as BadgeSummary),
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
