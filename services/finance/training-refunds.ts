import type { Actor } from '../identity/actor.ts'
import { allPartnersScope } from '../tenancy/tenant-guard.ts'
import type { Table } from './finance-reports.ts'

/**
 * Training orders refunded, newest first, with who asked or why the platform did (issue 30): a paid
 * checkout that could not be fulfilled is refunded automatically, and finance sees each one here.
 */
export async function trainingRefundsTable(actor: Actor): Promise<Table> {
  const { db } = allPartnersScope(actor, 'finance.view')
  const orders = await db.trainingOrder.findMany({
    where: { status: 'refunded' },
    orderBy: { refundedAt: 'desc' },
    take: 200,
    include: { organization: { select: { name: true } }, user: { select: { email: true } } },
  })
  return {
    columns: ['refunded', 'account', 'learner', 'product', 'payment', 'reason', 'currency', 'amount_minor'],
    rows: orders.map((o) => [
      o.refundedAt?.toISOString().slice(0, 10) ?? '',
      o.organization.name,
      o.user.email,
      o.product,
      o.paymentIntent ?? '',
      o.refundReason ? `automatic: ${o.refundReason}` : 'asked by the learner',
      o.currency,
      o.amountMinor,
    ]),
  }
}
