import { db } from '../db/client.ts'
import type { JobHandler } from '../jobs/define-job.ts'
import { recordPayment } from '../ledger/record-payment.ts'
import { now } from '../platform/clock.ts'
import { systemScope } from '../tenancy/tenant-guard.ts'
import { stripe } from './stripe-client.ts'

/** Brings one invoice up to date with Stripe; a payment is booked once, by its reference. */
export async function syncInvoice(stripeInvoiceId: string): Promise<void> {
  const local = await db().invoice.findUnique({
    where: { stripeInvoiceId },
    select: { id: true, organizationId: true },
  })
  if (!local) return
  const scope = await systemScope(local.organizationId)
  const truth = await stripe().invoices.retrieve(stripeInvoiceId)
  const invoice = await scope.db.invoice.findUniqueOrThrow({ where: { id: local.id } })
  if (truth.status === 'paid' && invoice.status !== 'paid') {
    await recordPayment(scope, {
      reference: `stripe:${stripeInvoiceId}`,
      currency: invoice.currency,
      amountMinor: BigInt(truth.amount_paid),
      description: `Stripe payment of invoice ${truth.number ?? stripeInvoiceId}`,
    })
    await scope.db.invoice.update({
      where: { id: invoice.id },
      data: {
        status: 'paid',
        amountPaidMinor: BigInt(truth.amount_paid),
        paidAt: truth.status_transitions?.paid_at ? new Date(truth.status_transitions.paid_at * 1000) : now(),
        lastFailure: null,
      },
    })
  } else if (truth.status === 'open' && (truth.attempt_count ?? 0) > 0 && invoice.status === 'open') {
    await scope.db.invoice.update({
      where: { id: invoice.id },
      data: { lastFailure: `Payment attempt ${truth.attempt_count} failed` },
    })
  } else if ((truth.status === 'void' || truth.status === 'uncollectible') && invoice.status !== truth.status) {
    await scope.db.invoice.update({
      where: { id: invoice.id },
      data: { status: truth.status as 'void' | 'uncollectible' },
    })
  }
}
export const handleSyncInvoice: JobHandler<'billing.sync-invoice'> = async ({ stripeInvoiceId }) => {
  await syncInvoice(stripeInvoiceId)
}
