import { recordAuditEvent, auditActorOf } from '../platform/audit/record-audit-event.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { requestAdjustment } from '#services/ledger/request-adjustment.ts'
import { minorDigits, toCurrency } from '../kernel/money/currency.ts'
import { formatDecimal } from '../kernel/money/decimal.ts'
import { now } from '../platform/clock.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { messageData } from './disputes.ts'

/**
 * Finance resolves: upheld (a credit note for the amount, posted once a second finance user
 * approves it) or rejected with a reason. Scope: ledger.adjust.
 */
export async function resolveDispute(
  scope: TenantScope,
  disputeId: string,
  outcome: { decision: 'uphold' | 'reject'; note: string; amount?: string },
) {
  assertCan(scope, 'adjustments.request')
  if (!outcome.note.trim())
    throw new AppError('invalid_input', 'Explain the decision to the partner.', {
      note: ['Explain the decision to the partner.'],
    })
  return scope.db.$transaction(async (tx) => {
    const dispute = await tx.dispute.findUnique({ where: { id: disputeId } })
    if (!dispute) throw new AppError('not_found', 'No such dispute.')
    if (dispute.status !== 'open') throw new AppError('conflict', 'This dispute is closed.')
    await tx.disputeMessage.create({
      data: messageData(
        scope,
        disputeId,
        `${outcome.decision === 'uphold' ? 'Upheld' : 'Rejected'}: ${outcome.note.trim()}`,
      ),
    })
    if (outcome.decision === 'reject') {
      await tx.dispute.update({
        where: { id: disputeId },
        data: {
          status: 'resolved',
          resolution: `Rejected: ${outcome.note.trim()}`,
          resolvedById: scope.actor.userId,
          resolvedAt: now(),
        },
      })
      await recordAuditEvent(tx, {
        actor: auditActorOf(scope),
        organizationId: dispute.organizationId,
        action: 'dispute.reject',
        targetType: 'dispute',
        targetId: disputeId,
        changes: { note: outcome.note },
      })
      return { adjustmentId: null }
    }
    const amount = outcome.amount ?? formatDecimal(dispute.amountMinor, minorDigits(toCurrency(dispute.currency)))
    const adjustmentId = await requestAdjustment(
      scope,
      {
        currency: toCurrency(dispute.currency),
        direction: 'credit',
        amount,
        reason: `Dispute upheld: ${outcome.note.trim()}`,
        disputeId,
      },
      tx,
    )
    await recordAuditEvent(tx, {
      actor: auditActorOf(scope),
      organizationId: dispute.organizationId,
      action: 'dispute.uphold',
      targetType: 'dispute',
      targetId: disputeId,
      changes: { adjustmentId },
    })
    return { adjustmentId }
  })
}
