import { recordAuditEvent, auditActorOf } from '../platform/audit/record-audit-event.ts'
import { todayUtc } from '../platform/clock.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { postJournalEntry } from './post-journal-entry.ts'
import type { ReceivableType } from './receivables.ts'

/**
 * Money received from a partner: cash up, receivable down. Idempotent by the payment's reference
 * (the Stripe payment intent, the bank transfer id), so a webhook delivered twice posts once.
 */
export async function recordPayment(
  scope: TenantScope,
  p: {
    reference: string
    currency: string
    amountMinor: bigint
    receivedOn?: string
    description?: string
    /** The receivable the paid invoice debited (royalties unless said). */
    receivable?: ReceivableType
  },
) {
  assertCan(scope, 'payments.record')
  if (p.amountMinor <= 0n) throw new AppError('invalid_input', 'A payment is a positive amount.')
  return scope.db.$transaction(async (tx) => {
    const entry = await postJournalEntry(tx, {
      organizationId: scope.organization.id,
      currency: p.currency,
      idempotencyKey: `payment:${p.reference}`,
      kind: 'payment',
      description: p.description ?? `Payment ${p.reference}`,
      effectiveDate: p.receivedOn ?? todayUtc(),
      createdById: scope.actor.userId === 'system' ? undefined : scope.actor.userId,
      lines: [
        { account: 'cash', debitMinor: p.amountMinor, memo: `Payment ${p.reference}` },
        { account: p.receivable ?? 'royalty_receivable', creditMinor: p.amountMinor, memo: `Payment ${p.reference}` },
      ],
    })
    if (entry.created) {
      await recordAuditEvent(tx, {
        actor: auditActorOf(scope),
        organizationId: scope.organization.id,
        action: 'payment.record',
        targetType: 'journal_entry',
        targetId: entry.id,
        changes: { reference: p.reference, amountMinor: p.amountMinor.toString(), currency: p.currency },
      })
    }
    return entry
  })
}
