import type { z } from 'zod'
import { monthsBetween } from '../kernel/calendar/months.ts'
import { periodOf } from '../royalties/reporting-period.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { keysetWhere, pageOf, parsePageQuery } from './page-cursor.ts'
import { reportPageSchema } from './schemas.ts'

const day = (d: Date) => d.toISOString().slice(0, 10)

/** GET /api/v1/reports: every revision of every report the partner filed, newest first. */
export async function listReportsPage(scope: TenantScope, query: unknown): Promise<z.output<typeof reportPageSchema>> {
  assertCan(scope, 'royalties.view')
  const { limit, after } = parsePageQuery(query)
  const rows = await scope.db.royaltyReport.findMany({
    where: keysetWhere('createdAt', after),
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit + 1,
  })
  return reportPageSchema.parse(
    pageOf(
      rows,
      limit,
      (r) => r.createdAt,
      (r) => ({
        id: r.id,
        contractId: r.contractId,
        period: periodOf(day(r.periodStart), monthsBetween(day(r.periodStart), day(r.periodEnd))).tag,
        revision: r.revision,
        status: r.status,
        source: r.source,
        lineCount: r.lineCount,
        unitsTotal: r.unitsTotal.toString(),
        revenueTotalMinor: r.revenueTotalMinor.toString(),
        currency: r.currency,
        posted: r.journalEntryId !== null,
        receivedAt: r.createdAt.toISOString(),
      }),
    ),
  )
}
