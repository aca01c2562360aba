import { z } from 'zod'
import type Stripe from 'stripe'
import type { InvoiceStatus } from '../platform/db/generated/enums.ts'
import { recordPayment } from '../ledger/record-payment.ts'
import { receivableOfEntry } from '../ledger/receivables.ts'
import { now } from '../platform/clock.ts'
import type { TenantScope } from '../tenancy/tenant-guard.ts'
import { recordWebhookEvent } from '../webhooks/record-webhook-event.ts'
import { enqueueBillingEmail } from './billing-emails.ts'

// Not in Stripe's Invoice type: the message of the last failed attempt, where the invoice carries it.
const lastPaymentError = z.looseObject({
  last_payment_error: z.looseObject({ message: z.string().optional() }).nullish(),
})

const statuses = ['draft', 'open', 'paid', 'void', 'uncollectible'] as const satisfies readonly InvoiceStatus[]

/**
 * Brings our record of an invoice to what Stripe says, and acts on each change once: a finalized
 * invoice is announced, cash received is booked (by the invoice's reference, so twice is once) and
 * receipted, a failed attempt is told with its reason. What the customer's credit balance paid moves
 * no cash and books nothing: the ledger already holds that credit (a restatement or a credit note).
 */
export async function applyInvoiceTruth(scope: TenantScope, invoiceId: string, truth: Stripe.Invoice): Promise<void> {
  const before = await scope.db.invoice.findUniqueOrThrow({ where: { id: invoiceId } })
  const status = statuses.find((s) => s === truth.status) ?? before.status
  const cash = BigInt(truth.amount_paid ?? 0)
  // Balances are negative when in the customer's favour: credit applied = ending − starting.
  const fromBalance = BigInt(
    Math.max(0, (truth.ending_balance ?? truth.starting_balance ?? 0) - (truth.starting_balance ?? 0)),
  )
  const failure = lastPaymentError.safeParse(truth).data?.last_payment_error?.message
  const attempts = truth.attempt_count ?? 0
  const lastFailure =
    status === 'open' && failure && attempts > 0 ? `Payment attempt ${attempts} failed: ${failure}` : null
  if (status === 'paid' && cash > 0n && before.amountPaidMinor < cash) {
    await recordPayment(scope, {
      reference: `stripe:${truth.id}`,
      currency: before.currency,
      amountMinor: cash,
      description: `Stripe payment of invoice ${truth.number ?? truth.id}`,
      receivable: await receivableOfEntry(scope.db, before.journalEntryId),
    })
  }
  await scope.db.$transaction(async (tx) => {
    const paidAt = truth.status_transitions?.paid_at ? new Date(truth.status_transitions.paid_at * 1000) : now()
    const updated = await tx.invoice.updateMany({
      where: {
        id: invoiceId,
        status: before.status,
        amountPaidMinor: before.amountPaidMinor,
        lastFailure: before.lastFailure,
      },
      data: {
        status,
        stripeInvoiceId: truth.id ?? before.stripeInvoiceId,
        number: truth.number ?? before.number,
        hostedUrl: truth.hosted_invoice_url ?? before.hostedUrl,
        dueDate: truth.due_date ? new Date(truth.due_date * 1000) : before.dueDate,
        amountPaidMinor: cash,
        paidFromBalanceMinor: fromBalance,
        amountRemainingMinor: status === 'open' ? BigInt(truth.amount_remaining ?? 0) : 0n,
        issuedAt:
          before.issuedAt ??
          (truth.status_transitions?.finalized_at ? new Date(truth.status_transitions.finalized_at * 1000) : null),
        paidAt: status === 'paid' ? (before.paidAt ?? paidAt) : null,
        lastFailure: status === 'paid' ? null : (lastFailure ?? before.lastFailure),
      },
    })
    // Another sync applied this change first: the emails are its to send.
    if (updated.count === 0) return
    const number = truth.number ?? before.id
    const email = (e: Parameters<typeof enqueueBillingEmail>[4]) =>
      enqueueBillingEmail(tx, scope.organization.id, before.currency, invoiceId, e)
    const event = {
      invoiceId,
      number: truth.number ?? null,
      currency: before.currency,
      amountDueMinor: before.amountDueMinor.toString(),
    }
    if (before.status === 'draft' && status !== 'draft')
      await recordWebhookEvent(tx, scope.organization.id, 'invoice.issued', event)
    if (before.status !== 'paid' && status === 'paid')
      await recordWebhookEvent(tx, scope.organization.id, 'invoice.paid', {
        ...event,
        amountPaidMinor: cash.toString(),
      })
    if (before.status === 'draft' && status !== 'draft')
      await email({
        kind: 'invoice',
        number,
        amountMinor: BigInt(truth.total ?? 0),
        dueDate: truth.due_date ? new Date(truth.due_date * 1000).toISOString().slice(0, 10) : null,
        hostedUrl: truth.hosted_invoice_url ?? null,
      })
    if (before.status !== 'paid' && status === 'paid' && (cash > 0n || fromBalance > 0n))
      await email({ kind: 'receipt', number, amountMinor: cash + fromBalance, fromBalanceMinor: fromBalance })
    if (lastFailure && lastFailure !== before.lastFailure)
      await email({
        kind: 'payment_failed',
        number,
        amountMinor: BigInt(truth.amount_remaining ?? 0),
        message: failure!,
        hostedUrl: truth.hosted_invoice_url ?? null,
      })
  })
}
