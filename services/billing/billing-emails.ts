import type { Tx } from '../platform/db/client.ts'
import { appUrl } from '../platform/config/env.ts'
import { renderEmail } from '../platform/email/render-email.ts'
import { enqueueJob } from '../platform/jobs/enqueue-job.ts'
import { toCurrency } from '../kernel/money/currency.ts'
import { formatMoney, money } from '../kernel/money/money.ts'
import { activeMember } from '../identity/active-member.ts'

type BillingEmail =
  | { kind: 'invoice'; number: string; amountMinor: bigint; dueDate: string | null; hostedUrl: string | null }
  | { kind: 'receipt'; number: string; amountMinor: bigint; fromBalanceMinor: bigint }
  | { kind: 'payment_failed'; number: string; amountMinor: bigint; message: string; hostedUrl: string | null }
  | { kind: 'credit_note'; number: string; amountMinor: bigint; reason: string; toBalance: boolean }

/**
 * The partner's finance people hear of every billing event by email, through the outbox in the
 * transaction that records it: a new invoice, a receipt, a failed payment, a credit note.
 */
export async function enqueueBillingEmail(
  tx: Tx,
  organizationId: string,
  currency: string,
  invoiceId: string | null,
  e: BillingEmail,
): Promise<void> {
  const org = await tx.organization.findUniqueOrThrow({
    where: { id: organizationId },
    select: { slug: true, name: true },
  })
  const people = await tx.membership.findMany({
    where: { organizationId, role: { in: ['partner_finance', 'partner_admin'] }, ...activeMember },
    include: { user: { select: { email: true, name: true } } },
  })
  const f = (m: bigint) => formatMoney(money(m, toCurrency(currency)))
  const page = `${appUrl()}/portal/${org.slug}/invoices${invoiceId ? `/${invoiceId}` : ''}`
  const rendered = {
    invoice: () =>
      e.kind === 'invoice' &&
      renderEmail(
        `Invoice ${e.number} from ggml: ${f(e.amountMinor)}`,
        [
          `ggml has issued invoice ${e.number} to ${org.name} for ${f(e.amountMinor)}` +
            `${e.dueDate ? `, due on ${e.dueDate}` : ''}.`,
          'Each line shows how it was calculated on the invoice page.',
        ],
        { label: 'See and pay the invoice', url: page },
      ),
    receipt: () =>
      e.kind === 'receipt' &&
      renderEmail(
        `Receipt for invoice ${e.number}`,
        [
          `We received ${f(e.amountMinor)} for invoice ${e.number}. Thank you.`,
          ...(e.fromBalanceMinor > 0n ? [`${f(e.fromBalanceMinor)} of it came from your credit balance.`] : []),
        ],
        { label: 'See the invoice', url: page },
      ),
    payment_failed: () =>
      e.kind === 'payment_failed' &&
      renderEmail(
        `Payment of invoice ${e.number} failed`,
        [
          `The payment of ${f(e.amountMinor)} for invoice ${e.number} failed: ${e.message}`,
          'You can pay again on the invoice page.',
        ],
        { label: 'Pay the invoice', url: e.hostedUrl ?? page },
      ),
    credit_note: () =>
      e.kind === 'credit_note' &&
      renderEmail(
        `Credit note ${e.number}: ${f(e.amountMinor)}`,
        [
          `ggml has issued credit note ${e.number} for ${f(e.amountMinor)}: ${e.reason}.`,
          e.toBalance
            ? 'The invoice it corrects was already paid: the amount is on your credit balance ' +
              'and pays your next invoices.'
            : 'It lowers what is due on the invoice it corrects.',
        ],
        { label: 'See your invoices', url: page },
      ),
  }[e.kind]()
  if (!rendered) return
  for (const p of people) await enqueueJob(tx, 'email.send', { to: p.user.email, ...rendered })
}
