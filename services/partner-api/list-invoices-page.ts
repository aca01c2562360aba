import type { z } from 'zod'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { keysetWhere, pageOf, parsePageQuery } from './page-cursor.ts'
import { invoicePageSchema } from './schemas.ts'

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null)

/** GET /api/v1/invoices: the partner's issued invoices, newest first, a page at a time. */
export async function listInvoicesPage(
  scope: TenantScope,
  query: unknown,
): Promise<z.output<typeof invoicePageSchema>> {
  assertCan(scope, 'invoices.view')
  const { limit, after } = parsePageQuery(query)
  // Drafts are not the partner's yet: Stripe has not finalized them.
  const rows = await scope.db.invoice.findMany({
    where: { status: { not: 'draft' }, ...keysetWhere('createdAt', after) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit + 1,
  })
  return invoicePageSchema.parse(
    pageOf(
      rows,
      limit,
      (r) => r.createdAt,
      (i) => ({
        id: i.id,
        number: i.number,
        description: i.description,
        status: i.status,
        currency: i.currency,
        amountDueMinor: i.amountDueMinor.toString(),
        amountPaidMinor: i.amountPaidMinor.toString(),
        amountRemainingMinor: (i.status === 'open' ? i.amountRemainingMinor : 0n).toString(),
        issuedOn: day(i.issuedAt),
        dueOn: day(i.dueDate),
        paidAt: i.paidAt?.toISOString() ?? null,
        reportId: i.reportId,
        hostedUrl: i.hostedUrl,
      }),
    ),
  )
}
