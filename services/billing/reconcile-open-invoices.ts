import { unscopedDb } from '../platform/db/unscoped.ts'
import type { JobHandler } from '../platform/jobs/define-job.ts'
import { logger } from '../platform/observability/logger.ts'
import { syncInvoice } from './sync-invoice.ts'

/**
 * Stripe's webhooks are how a payment usually arrives, but one can be lost: Stripe gives up after its
 * retries, or (the local Stripe of the demo and tests) after a few seconds, while this platform's
 * database was away (issue 24). Every open invoice is therefore asked about at Stripe every quarter
 * hour, and the truth applied as a webhook would (applyInvoiceTruth books a payment once, by its
 * reference). One invoice Stripe cannot answer for is logged and skipped: the next round asks again.
 */
export async function reconcileOpenInvoices(): Promise<{ checked: number; failed: number }> {
  const open = await unscopedDb('platform job').invoice.findMany({
    where: { status: 'open', stripeInvoiceId: { not: null } },
    select: { stripeInvoiceId: true },
    orderBy: { id: 'asc' },
  })
  let failed = 0
  for (const { stripeInvoiceId } of open) {
    try {
      await syncInvoice(stripeInvoiceId!)
    } catch (err) {
      failed++
      logger().warn({ err, stripeInvoiceId }, 'open invoice not reconciled with Stripe this round')
    }
  }
  return { checked: open.length, failed }
}

export const handleReconcileOpenInvoices: JobHandler<'billing.reconcile-open-invoices'> = async () => {
  await reconcileOpenInvoices()
}
