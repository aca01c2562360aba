import type Stripe from 'stripe'
import { appUrl } from '../platform/config/env.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { newId } from '../platform/db/ids.ts'
import type { JobHandler } from '../platform/jobs/define-job.ts'
import { minorDigits, isCurrency } from '../kernel/money/currency.ts'
import { systemScope, type TenantScope } from '../tenancy/tenant-guard.ts'
import { applyInvoiceTruth } from './apply-invoice-truth.ts'
import { issueCreditNotesForEntry } from './issue-credit-notes.ts'
import { billedBeforeInPeriod } from './period-billing.ts'
import { STRIPE_MAX_AMOUNT, stripe } from './stripe-client.ts'
import { stripeCustomerFor } from './stripe-customer.ts'
import { isReceivable } from '../ledger/receivables.ts'

export const INVOICE_DAYS_UNTIL_DUE = 30
/** Stripe holds at most 250 items on one invoice. */
const STRIPE_MAX_ITEMS = 250

interface Item {
  description: string
  amountMinor: bigint
}

/**
 * An amount Stripe cannot take as one item (a $1,550,000.00 quarter) becomes several items of at most
 * $999,999.99 each, numbered in their descriptions; the invoice's total is the same.
 */
export function stripeItems(items: Item[]): Item[] {
  return items.flatMap((item) => {
    const size = item.amountMinor < 0n ? -item.amountMinor : item.amountMinor
    if (size <= STRIPE_MAX_AMOUNT) return [item]
    const parts = Number((size + STRIPE_MAX_AMOUNT - 1n) / STRIPE_MAX_AMOUNT)
    const sign = item.amountMinor < 0n ? -1n : 1n
    return Array.from({ length: parts }, (_, i) => {
      const amount = i < parts - 1 ? STRIPE_MAX_AMOUNT : size - STRIPE_MAX_AMOUNT * BigInt(parts - 1)
      return { description: `${item.description} (part ${i + 1} of ${parts})`, amountMinor: sign * amount }
    })
  })
}

/**
 * Bills one posting through Stripe. A report's posting bills what it adds to its period (its
 * receivable less what earlier postings of the period billed) or, when it lowers the period, credits
 * the difference against the period's invoices (issue-credit-notes.ts); other postings bill their
 * receivable. Every step is idempotent: one local invoice per posting, its Stripe id stored before
 * anything is added to it (idempotency keys last 24 hours at Stripe; a retry days later finds the
 * invoice by its id), items keyed by position, finalize only a draft.
 */
export async function issueInvoiceForEntry(journalEntryId: string): Promise<string | null> {
  const entry = await unscopedDb('platform job').journalEntry.findUnique({
    where: { id: journalEntryId },
    include: { lines: { include: { account: true } } },
  })
  if (!entry) return null
  const scope = await systemScope(entry.organizationId)
  const receivable = entry.lines
    .filter((l) => isReceivable(l.account.type))
    .reduce((s, l) => s + l.debitMinor - l.creditMinor, 0n)
  const billedBeforeMinor = await billedBeforeInPeriod(scope.db, entry)
  const delta = receivable - billedBeforeMinor
  if (delta < 0n) {
    await issueCreditNotesForEntry(scope, entry, -delta)
    return null
  }
  if (delta === 0n) return null
  const items: Item[] = entry.lines
    .filter((l) => isReceivable(l.account.type) && l.debitMinor > 0n)
    .map((l) => ({ description: l.memo, amountMinor: l.debitMinor }))
  for (const l of entry.lines.filter((x) => isReceivable(x.account.type) && x.creditMinor > 0n))
    items.push({ description: l.memo, amountMinor: -l.creditMinor })
  // A restated or re-rated period bills only what it adds to what the period already billed.
  if (billedBeforeMinor > 0n)
    items.push({
      description: `Less: already invoiced for ${entry.periodTag ?? 'this period'}`,
      amountMinor: -billedBeforeMinor,
    })

  let invoice = await scope.db.invoice.findUnique({ where: { journalEntryId } })
  if (!invoice) {
    invoice = await scope.db.invoice
      .create({
        data: {
          id: newId(),
          organizationId: entry.organizationId,
          journalEntryId,
          reportId: entry.reportId,
          currency: entry.currency,
          // A period invoiced before gets a supplementary invoice, named as such: the partner's AP matches
          // it to the period's first invoice, not to a second bill for the same royalties.
          description:
            billedBeforeMinor > 0n
              ? `Supplementary invoice for ${entry.periodTag ?? 'the period'}: ${entry.description}, ` +
                `less what was already invoiced`
              : entry.description,
          lines: items.map((i) => ({ ...i, amountMinor: i.amountMinor.toString() })),
          amountDueMinor: delta,
        },
      })
      .catch(async () => scope.db.invoice.findUniqueOrThrow({ where: { journalEntryId } }))
  }
  if (invoice.status !== 'draft') return invoice.id
  const truth = await issueAtStripe(scope, invoice, entry.currency, stripeItems(items), delta)
  await applyInvoiceTruth(scope, invoice.id, truth)
  return invoice.id
}

async function issueAtStripe(
  scope: TenantScope,
  invoice: { id: string; journalEntryId: string; description: string; stripeInvoiceId: string | null },
  currencyCode: string,
  items: Item[],
  total: bigint,
): Promise<Stripe.Invoice> {
  const customer = await stripeCustomerFor(scope)
  const currency = currencyCode.toLowerCase()
  if (!isCurrency(currencyCode) || (minorDigits(currencyCode) !== 2 && !['jpy', 'krw'].includes(currency)))
    throw new Error(`Unsupported currency ${currencyCode}`)
  if (items.length > STRIPE_MAX_ITEMS) throw new Error(`An invoice of ${items.length} items is more than Stripe holds`)
  const s = stripe()
  const key = `invoice:${invoice.journalEntryId}`
  let stripeId = invoice.stripeInvoiceId
  if (!stripeId) {
    const created = await s.invoices.create(
      {
        customer,
        currency,
        collection_method: 'send_invoice',
        days_until_due: INVOICE_DAYS_UNTIL_DUE,
        description: invoice.description,
        // A card pays at most one Stripe amount: larger invoices are paid by bank transfer.
        payment_settings: {
          payment_method_types: total > STRIPE_MAX_AMOUNT ? ['customer_balance'] : ['card', 'customer_balance'],
        },
        metadata: {
          organizationId: scope.organization.id,
          journalEntryId: invoice.journalEntryId,
          invoiceId: invoice.id,
          portal_url: `${appUrl()}/portal/${scope.organization.slug}/invoices/${invoice.id}`,
        },
      },
      { idempotencyKey: key },
    )
    stripeId = created.id!
    // Stored before anything else, so a retry days later (when Stripe has forgotten the key) finds it.
    await scope.db.invoice.update({
      where: { id: invoice.id },
      data: { stripeInvoiceId: stripeId, stripeCustomerId: customer },
    })
  }
  let current = await s.invoices.retrieve(stripeId)
  if (current.status === 'draft') {
    const present = new Set(current.lines.data.map((l) => l.metadata?.position).filter(Boolean))
    for (const [i, item] of items.entries()) {
      if (present.has(String(i))) continue
      await s.invoiceItems.create(
        {
          customer,
          invoice: stripeId,
          currency,
          amount: Number(item.amountMinor),
          description: item.description,
          metadata: { position: String(i) },
        },
        { idempotencyKey: `${key}:item:${i}` },
      )
    }
    current = await s.invoices.retrieve(stripeId)
    if (current.status === 'draft')
      current = await s.invoices.finalizeInvoice(stripeId, {}, { idempotencyKey: `${key}:finalize` })
  }
  return current
}

export const handleIssueInvoice: JobHandler<'billing.issue-invoice'> = async ({ journalEntryId }) => {
  await issueInvoiceForEntry(journalEntryId)
}
