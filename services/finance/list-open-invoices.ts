import { z } from 'zod'
import { addDays } from '../kernel/calendar/months.ts'
import type { Prisma } from '../platform/db/generated/client.ts'
import type { Actor } from '../identity/actor.ts'
import { toCurrency } from '../kernel/money/currency.ts'
import { formatMoney, money } from '../kernel/money/money.ts'
import { todayUtc } from '../platform/clock.ts'
import { readPage, type PageRequest } from '../platform/paging.ts'
import { allPartnersScope } from '../tenancy/tenant-guard.ts'
import { AGING_BUCKETS, agingBucketLabel, daysLate, type AgingBucket } from './aging-buckets.ts'

/** ?aging=31-60&currency=USD as the aging bar links it; anything else reads as no filter. */
export const openInvoicesFilterSchema = z.object({
  aging: z.enum(AGING_BUCKETS).optional().catch(undefined),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional()
    .catch(undefined),
})
export type OpenInvoicesFilter = z.infer<typeof openInvoicesFilterSchema>

const at = (date: string) => new Date(`${date}T00:00:00Z`)

/** The due dates of a bucket on `today`, as the bucket rule (aging-buckets.ts) draws them. */
function dueIn(bucket: AgingBucket, today: string): Prisma.InvoiceWhereInput {
  const ago = (days: number) => at(addDays(today, -days))
  switch (bucket) {
    case 'current':
      return { OR: [{ dueDate: null }, { dueDate: { gte: at(today) } }] }
    case '1-30':
      return { dueDate: { gte: ago(30), lt: at(today) } }
    case '31-60':
      return { dueDate: { gte: ago(60), lt: ago(30) } }
    case '61-90':
      return { dueDate: { gte: ago(90), lt: ago(60) } }
    case '90+':
      return { dueDate: { lt: ago(90) } }
  }
}

/**
 * Open invoices across partners, the oldest due first, filtered by aging bucket and currency: where a
 * segment of the aging bar leads (issue 29). One page at a time (decision 033).
 */
export async function listOpenInvoices(
  actor: Actor,
  filter: OpenInvoicesFilter,
  request: PageRequest,
  today = todayUtc(),
) {
  const { db } = allPartnersScope(actor, 'finance.view')
  const where: Prisma.InvoiceWhereInput = {
    status: 'open',
    ...(filter.currency && { currency: filter.currency }),
    ...(filter.aging && dueIn(filter.aging, today)),
  }
  const page = await readPage(
    request,
    (w) =>
      db.invoice.findMany({
        where,
        orderBy: [{ dueDate: { sort: 'asc', nulls: 'last' } }, { amountRemainingMinor: 'desc' }, { id: 'asc' }],
        select: {
          id: true,
          number: true,
          description: true,
          currency: true,
          dueDate: true,
          amountRemainingMinor: true,
          organization: { select: { name: true, slug: true } },
        },
        ...w,
      }),
    () => db.invoice.count({ where }),
  )
  return {
    title: `Open invoices${filter.aging ? `, ${agingBucketLabel[filter.aging].toLowerCase()}` : ''}${
      filter.currency ? ` (${filter.currency})` : ''
    }`,
    ...page,
    rows: page.rows.map((i) => {
      const due = i.dueDate ? i.dueDate.toISOString().slice(0, 10) : null
      return {
        id: i.id,
        partner: i.organization.name,
        partnerHref: `/portal/${i.organization.slug}/invoices?status=outstanding`,
        invoice: i.number ?? i.description,
        description: i.description,
        href: `/portal/${i.organization.slug}/invoices/${i.id}`,
        currency: i.currency,
        due,
        daysLate: Math.max(0, daysLate(due, today)),
        remainingMinor: i.amountRemainingMinor.toString(),
        remaining: formatMoney(money(i.amountRemainingMinor, toCurrency(i.currency))),
      }
    }),
  }
}
