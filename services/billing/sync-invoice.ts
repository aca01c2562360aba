import { unscopedDb } from '../platform/db/unscoped.ts'
import type { JobHandler } from '../platform/jobs/define-job.ts'
import { systemScope } from '../tenancy/tenant-guard.ts'
import { applyInvoiceTruth } from './apply-invoice-truth.ts'
import { stripe } from './stripe-client.ts'

/** Brings one invoice up to date with Stripe, reading the truth from Stripe rather than the webhook. */
export async function syncInvoice(stripeInvoiceId: string): Promise<void> {
  const local = await unscopedDb('provider callback').invoice.findUnique({
    where: { stripeInvoiceId },
    select: { id: true, organizationId: true },
  })
  if (!local) return
  const scope = await systemScope(local.organizationId)
  await applyInvoiceTruth(scope, local.id, await stripe().invoices.retrieve(stripeInvoiceId))
}

export const handleSyncInvoice: JobHandler<'billing.sync-invoice'> = async ({ stripeInvoiceId }) => {
  await syncInvoice(stripeInvoiceId)
}
