import { db } from '../db/client.ts'
import { newId } from '../db/ids.ts'
import type { JobHandler } from '../jobs/define-job.ts'
import { minorDigits, type Currency } from '../money/currency.ts'
import { systemScope } from '../tenancy/tenant-guard.ts'
import { billedBeforeInPeriod } from './period-billing.ts'
import { stripe } from './stripe-client.ts'

export const INVOICE_DAYS_UNTIL_DUE = 30

/**
 * Bills one posting through Stripe: the receivable lines of the journal entry become invoice items,
 * less what earlier postings of the same period billed (restatements invoice their difference).
 * Every step is idempotent (one local invoice per entry, Stripe idempotency keys derived from it,
 * finalize only a draft), so a job retried after a crash or a Stripe outage never bills twice.
 */
export async function issueInvoiceForEntry(journalEntryId: string): Promise<string | null> {
  const entry = await db().journalEntry.findUnique({
    where: { id: journalEntryId },
    include: { lines: { include: { account: true } } },
  })
  if (!entry) return null
  const scope = await systemScope(entry.organizationId)
  const items = entry.lines
    .filter((l) => l.account.type === 'royalty_receivable' && l.debitMinor > 0n)
    .map((l) => ({ description: l.memo, amountMinor: l.debitMinor }))
  // A restated or re-rated period bills only what it adds to what the period already billed.
  const billedBeforeMinor = await billedBeforeInPeriod(scope.db, entry)
  if (billedBeforeMinor > 0n)
    items.push({
      description: `Less: already invoiced for ${entry.periodTag ?? 'this period'}`,
      amountMinor: -billedBeforeMinor,
    })
  const total = items.reduce((s, i) => s + i.amountMinor, 0n)
  if (total <= 0n) return null

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
          description: entry.description,
          lines: items.map((i) => ({ ...i, amountMinor: i.amountMinor.toString() })),
          amountDueMinor: total,
        },
      })
      .catch(async () => scope.db.invoice.findUniqueOrThrow({ where: { journalEntryId } }))
  }
  if (invoice.status !== 'draft') return invoice.id

  const customer = await ensureCustomer(entry.organizationId, scope.organization.name)
  const currency = entry.currency.toLowerCase()
  if (minorDigits(entry.currency as Currency) !== 2 && !['jpy', 'krw'].includes(currency))
    throw new Error(`Unsupported currency ${entry.currency}`)
  const s = stripe()
  const created = await s.invoices.create(
    {
      customer,
      currency,
      collection_method: 'send_invoice',
      days_until_due: INVOICE_DAYS_UNTIL_DUE,
      description: entry.description,
      metadata: { organizationId: entry.organizationId, journalEntryId, invoiceId: invoice.id },
    },
    { idempotencyKey: `invoice:${journalEntryId}` },
  )
  for (const [i, item] of items.entries()) {
    await s.invoiceItems.create(
      { customer, invoice: created.id, currency, amount: Number(item.amountMinor), description: item.description },
      { idempotencyKey: `invoice:${journalEntryId}:item:${i}` },
    )
  }
  const current = await s.invoices.retrieve(created.id!)
  const finalized =
    current.status === 'draft'
      ? await s.invoices.finalizeInvoice(created.id!, {}, { idempotencyKey: `invoice:${journalEntryId}:finalize` })
      : current
  await scope.db.invoice.update({
    where: { id: invoice.id },
    data: {
      stripeInvoiceId: finalized.id,
      stripeCustomerId: customer,
      status: finalized.status === 'paid' ? 'paid' : 'open',
      number: finalized.number,
      hostedUrl: finalized.hosted_invoice_url,
      dueDate: finalized.due_date ? new Date(finalized.due_date * 1000) : null,
    },
  })
  return invoice.id
}

async function ensureCustomer(organizationId: string, name: string): Promise<string> {
  const scope = await systemScope(organizationId)
  const known = await scope.db.billingCustomer.findUnique({ where: { organizationId } })
  if (known) return known.stripeCustomerId
  const admins = await db().membership.findMany({
    where: { organizationId, role: { in: ['partner_finance', 'partner_admin'] } },
    include: { user: true },
    orderBy: { role: 'desc' },
    take: 1,
  })
  const c = await stripe().customers.create(
    { name, email: admins[0]?.user.email, metadata: { organizationId } },
    { idempotencyKey: `customer:${organizationId}` },
  )
  await scope.db.billingCustomer.createMany({
    data: [{ organizationId, stripeCustomerId: c.id }],
    skipDuplicates: true,
  })
  return (await scope.db.billingCustomer.findUniqueOrThrow({ where: { organizationId } })).stripeCustomerId
}

export const handleIssueInvoice: JobHandler<'billing.issue-invoice'> = async ({ journalEntryId }) => {
  await issueInvoiceForEntry(journalEntryId)
}
