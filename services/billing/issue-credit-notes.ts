import { newId } from '../platform/db/ids.ts'
import type { CreditNoteTarget } from '../platform/db/generated/enums.ts'
import type { TenantScope } from '../tenancy/tenant-guard.ts'
import { enqueueBillingEmail } from './billing-emails.ts'
import { stripeCustomerFor } from './stripe-customer.ts'
import { invoicedBeforeInPeriod } from './period-billing.ts'
import { STRIPE_MAX_AMOUNT, stripe } from './stripe-client.ts'
import { WaitingFor } from '../platform/jobs/waiting-for.ts'
import { recordWebhookEvent } from '../webhooks/record-webhook-event.ts'

interface EntryRef {
  id: string
  seq: bigint
  kind: string
  reportId: string | null
  organizationId: string
  currency: string
  description: string
  periodTag: string | null
}

/** A credit larger than one Stripe amount, in parts Stripe takes. */
const parts = (amount: bigint): bigint[] => {
  const out: bigint[] = []
  for (let left = amount; left > 0n; left -= STRIPE_MAX_AMOUNT)
    out.push(left < STRIPE_MAX_AMOUNT ? left : STRIPE_MAX_AMOUNT)
  return out
}

/**
 * A posting that lowers what a partner owes (a restatement of a period, an approved credit) is
 * credited through Stripe against the invoices it corrects, newest first, each up to what is left to
 * credit on it: on an open invoice the credit note lowers what is due, on a paid one it goes to the
 * partner's credit balance, which pays the next invoices. What no invoice can take is credited to the
 * balance directly. The ledger moved already; this is the billing side, and it agrees with it.
 */
export async function issueCreditNotesForEntry(scope: TenantScope, entry: EntryRef, amount: bigint): Promise<void> {
  const reason =
    entry.kind === 'report_charges'
      ? `${entry.periodTag ?? 'A period'} restated: ${entry.description}`
      : entry.description.replace(/^Credit note: /, '')
  let left = amount
  for (const invoice of await invoicesToCredit(scope, entry)) {
    if (left <= 0n) break
    const credited = await scope.db.creditNote.aggregate({
      where: { invoiceId: invoice.id },
      _sum: { amountMinor: true },
    })
    const room = invoice.amountDueMinor - (credited._sum.amountMinor ?? 0n)
    const take = room < left ? room : left
    if (take <= 0n) continue
    for (const [i, part] of parts(take).entries())
      await creditInvoice(scope, entry, invoice, part, `credit:${entry.id}:${invoice.id}:${i}`, reason)
    left -= take
  }
  for (const [i, part] of parts(left).entries())
    await creditBalance(scope, entry, part, `credit:${entry.id}:balance:${i}`, reason)
}

async function invoicesToCredit(scope: TenantScope, entry: EntryRef) {
  if (entry.kind === 'report_charges') {
    const invoices = []
    for (const billed of await invoicedBeforeInPeriod(scope.db, entry)) {
      const invoice = await scope.db.invoice.findUnique({ where: { journalEntryId: billed.entryId } })
      // The period's earlier invoice is still being issued: wait for it (no attempt spent; jobs/waiting-for.ts).
      if (!invoice || invoice.status === 'draft')
        throw new WaitingFor(`the invoice of posting ${billed.entryId} is not issued yet`)
      if (invoice.status === 'open' || invoice.status === 'paid') invoices.push(invoice)
    }
    return invoices
  }
  // An approved credit note of finance corrects the invoice its dispute was about, if any.
  const adjustment = await scope.db.adjustment.findFirst({ where: { journalEntryId: entry.id } })
  const dispute = adjustment?.disputeId
    ? await scope.db.dispute.findUnique({ where: { id: adjustment.disputeId } })
    : null
  const invoice = dispute?.invoiceId ? await scope.db.invoice.findUnique({ where: { id: dispute.invoiceId } }) : null
  return invoice && (invoice.status === 'open' || invoice.status === 'paid') ? [invoice] : []
}

async function creditInvoice(
  scope: TenantScope,
  entry: EntryRef,
  invoice: { id: string; stripeInvoiceId: string | null },
  amount: bigint,
  idempotencyKey: string,
  reason: string,
) {
  const row = await pendingRow(scope, entry, { invoiceId: invoice.id, amount, idempotencyKey, reason })
  if (row.stripeCreditNoteId) return
  const s = stripe()
  const truth = await s.invoices.retrieve(invoice.stripeInvoiceId!)
  const paid = truth.status === 'paid'
  // A retry after Stripe forgot the idempotency key (24 hours) finds the note by our key.
  const existing = (await s.creditNotes.list({ invoice: invoice.stripeInvoiceId!, limit: 100 })).data.find(
    (n) => n.metadata?.idempotencyKey === idempotencyKey,
  )
  const note =
    existing ??
    (await s.creditNotes.create(
      {
        invoice: invoice.stripeInvoiceId!,
        amount: Number(amount),
        reason: 'order_change',
        memo: reason.slice(0, 500),
        ...(paid && { credit_amount: Number(amount) }),
        metadata: { idempotencyKey, journalEntryId: entry.id },
      },
      { idempotencyKey },
    ))
  const target: CreditNoteTarget = note.type === 'post_payment' ? 'customer_balance' : 'invoice'
  await finish(
    scope,
    entry,
    row.id,
    { stripeCreditNoteId: note.id, number: note.number, target },
    amount,
    reason,
    invoice.id,
  )
}

async function creditBalance(
  scope: TenantScope,
  entry: EntryRef,
  amount: bigint,
  idempotencyKey: string,
  reason: string,
) {
  const row = await pendingRow(scope, entry, { invoiceId: null, amount, idempotencyKey, reason })
  if (row.stripeBalanceTxnId) return
  const txn = await stripe().customers.createBalanceTransaction(
    await stripeCustomerFor(scope),
    { amount: -Number(amount), currency: entry.currency.toLowerCase(), description: reason.slice(0, 350) },
    { idempotencyKey },
  )
  await finish(
    scope,
    entry,
    row.id,
    { stripeBalanceTxnId: txn.id, target: 'customer_balance', number: null },
    amount,
    reason,
    null,
  )
}

/** Our record comes first, so a crash between Stripe and us leaves a row that names what to look for. */
async function pendingRow(
  scope: TenantScope,
  entry: EntryRef,
  c: { invoiceId: string | null; amount: bigint; idempotencyKey: string; reason: string },
) {
  await scope.db.creditNote.createMany({
    data: [
      {
        id: newId(),
        idempotencyKey: c.idempotencyKey,
        organizationId: scope.organization.id,
        invoiceId: c.invoiceId,
        journalEntryId: entry.kind === 'report_charges' || entry.kind === 'adjustment' ? entry.id : null,
        currency: entry.currency,
        amountMinor: c.amount,
        reason: c.reason.slice(0, 500),
        target: c.invoiceId ? 'invoice' : 'customer_balance',
      },
    ],
    skipDuplicates: true,
  })
  return scope.db.creditNote.findUniqueOrThrow({ where: { idempotencyKey: c.idempotencyKey } })
}

async function finish(
  scope: TenantScope,
  entry: EntryRef,
  rowId: string,
  data: { stripeCreditNoteId?: string; stripeBalanceTxnId?: string; number: string | null; target: CreditNoteTarget },
  amount: bigint,
  reason: string,
  invoiceId: string | null,
) {
  await scope.db.$transaction(async (tx) => {
    const updated = await tx.creditNote.updateMany({
      where: { id: rowId, stripeCreditNoteId: null, stripeBalanceTxnId: null },
      data,
    })
    if (updated.count === 0) return
    await recordWebhookEvent(tx, scope.organization.id, 'credit_note.issued', {
      creditNoteId: rowId,
      number: data.number,
      invoiceId,
      currency: entry.currency,
      amountMinor: amount.toString(),
      target: data.target,
    })
    await enqueueBillingEmail(tx, scope.organization.id, entry.currency, invoiceId, {
      kind: 'credit_note',
      number: data.number ?? 'to your credit balance',
      amountMinor: amount,
      reason,
      toBalance: data.target === 'customer_balance',
    })
  })
}
