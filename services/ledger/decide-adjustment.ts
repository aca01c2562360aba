import { recordAuditEvent, auditActorOf } from '../platform/audit/record-audit-event.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { todayUtc, now } from '../platform/clock.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { postReceivable } from './post-receivable.ts'
import { receivableOfEntry, REVENUE_OF } from './receivables.ts'

/**
 * The second pair of eyes: another finance user approves (the note posts, dated today) or rejects.
 * Scope: ledger.adjust.
 */
export async function decideAdjustment(
  scope: TenantScope,
  adjustmentId: string,
  decision: 'approve' | 'reject',
  note?: string,
) {
  assertCan(scope, 'adjustments.approve')
  return scope.db.$transaction(async (tx) => {
    const a = await tx.adjustment.findUnique({ where: { id: adjustmentId } })
    if (!a) throw new AppError('not_found', 'No such adjustment.')
    if (a.status !== 'pending') throw new AppError('conflict', `This adjustment is already ${a.status}.`)
    if (a.requestedById === scope.actor.userId)
      throw new AppError('forbidden', 'A second finance user must decide on an adjustment you requested.')
    let journalEntryId: string | null = null
    if (decision === 'approve') {
      // A note corrects the line of business of the invoice it is about (a seat pack's, an engagement's),
      // not royalties by default: the receivable that invoice debited, and its revenue account.
      const dispute = a.disputeId ? await tx.dispute.findUnique({ where: { id: a.disputeId } }) : null
      const invoice = dispute?.invoiceId ? await tx.invoice.findUnique({ where: { id: dispute.invoiceId } }) : null
      const receivable = invoice ? await receivableOfEntry(tx, invoice.journalEntryId) : 'royalty_receivable'
      const revenue = REVENUE_OF[receivable]
      const credit = a.amountMinor < 0n
      const amount = credit ? -a.amountMinor : a.amountMinor
      // Billed like any posting: a debit note is invoiced, a credit note is credited through Stripe
      // against the disputed invoice (or the partner's balance), so the ledger and Stripe agree.
      const entry = await postReceivable(tx, {
        organizationId: a.organizationId,
        currency: a.currency,
        idempotencyKey: `adjustment:${a.id}`,
        kind: 'adjustment',
        description: `${credit ? 'Credit' : 'Debit'} note: ${a.reason}`,
        effectiveDate: todayUtc(),
        createdById: scope.actor.userId,
        lines: credit
          ? [
              { account: revenue, debitMinor: amount, memo: `Credit note: ${a.reason}` },
              { account: receivable, creditMinor: amount, memo: `Credit note: ${a.reason}` },
            ]
          : [
              { account: receivable, debitMinor: amount, memo: `Debit note: ${a.reason}` },
              { account: revenue, creditMinor: amount, memo: `Debit note: ${a.reason}` },
            ],
      })
      journalEntryId = entry.id
    }
    await tx.adjustment.update({
      where: { id: a.id },
      data: {
        status: decision === 'approve' ? 'approved' : 'rejected',
        decidedById: scope.actor.userId,
        decidedAt: now(),
        decisionNote: note,
        journalEntryId,
      },
    })
    if (a.disputeId && decision === 'approve') {
      await tx.dispute.update({
        where: { id: a.disputeId },
        data: {
          status: 'resolved',
          resolution: `${a.amountMinor < 0n ? 'Credit' : 'Debit'} note approved: ${a.reason}`,
          resolvedById: scope.actor.userId,
          resolvedAt: now(),
        },
      })
    }
    await recordAuditEvent(tx, {
      actor: auditActorOf(scope),
      organizationId: a.organizationId,
      action: `adjustment.${decision}`,
      targetType: 'adjustment',
      targetId: a.id,
      changes: { note: note ?? null, journalEntryId },
    })
    return { journalEntryId }
  })
}
