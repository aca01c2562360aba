import { z } from 'zod'
import { AppError } from '../platform/errors/app-error.ts'
import { newId } from '../platform/db/ids.ts'
import type { Tx } from '../platform/db/client.ts'
import { recordAuditEvent, auditActorOf } from '../platform/audit/record-audit-event.ts'
import { currencyCodes, minorDigits } from '../kernel/money/currency.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { parseDecimal, decimalMessage } from '../kernel/money/decimal.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

export const adjustmentSchema = z.object({
  currency: z.enum(currencyCodes),
  direction: z.enum(['credit', 'debit'], 'Choose a credit note (the partner owes less) or a debit note (more).'),
  amount: z.string().trim().min(1, 'Enter the amount.'),
  reason: z.string().trim().min(5, 'Say why, so the approver and the partner understand it.').max(500),
})
/** Finance proposes a credit or debit note; nothing posts until a second person approves. Scope: ledger.adjust. */
export async function requestAdjustment(
  scope: TenantScope,
  input: z.input<typeof adjustmentSchema> & { disputeId?: string },
  tx?: Tx,
) {
  assertCan(scope, 'adjustments.request')
  const { currency, direction, amount, reason } = parseInput(adjustmentSchema, input)
  let minor: bigint
  try {
    minor = parseDecimal(amount, minorDigits(currency))
  } catch (e) {
    throw new AppError('invalid_input', 'Check the amount.', { amount: [decimalMessage(e)] })
  }
  if (minor <= 0n)
    throw new AppError('invalid_input', 'Check the amount.', {
      amount: ['Enter an amount above zero; the direction says which way it goes.'],
    })
  const run = async (t: Tx) => {
    const id = newId()
    await t.adjustment.create({
      data: {
        id,
        organizationId: scope.organization.id,
        currency,
        amountMinor: direction === 'credit' ? -minor : minor,
        reason,
        disputeId: input.disputeId,
        requestedById: scope.actor.userId,
      },
    })
    await recordAuditEvent(t, {
      actor: auditActorOf(scope),
      organizationId: scope.organization.id,
      action: 'adjustment.request',
      targetType: 'adjustment',
      targetId: id,
      changes: { currency, direction, amountMinor: minor.toString(), reason },
    })
    return id
  }
  return tx ? run(tx) : scope.db.$transaction(run)
}
