import { z } from 'zod'
import { MAX_EVIDENCE, messageData } from './disputes.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { formatMoney, money } from '../kernel/money/money.ts'
import { parseDecimal, decimalMessage } from '../kernel/money/decimal.ts'
import { minorDigits, toCurrency } from '../kernel/money/currency.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { newId } from '../platform/db/ids.ts'
import { recordAuditEvent, auditActorOf } from '../platform/audit/record-audit-event.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

export const openDisputeSchema = z.object({
  invoiceId: z.string().min(1, 'Choose the invoice you dispute.'),
  chargeLabel: z.string().trim().max(200).optional(),
  amount: z.string().trim().min(1, 'Enter the amount you dispute.'),
  reason: z.string().trim().min(10, 'Explain what is wrong, so finance can check it.').max(4000),
})
/** A partner disputes part of an invoice, with evidence. Scope: royalties.report. */
export async function openDispute(
  scope: TenantScope,
  input: z.input<typeof openDisputeSchema>,
  evidence?: { name: string; bytes: Uint8Array },
) {
  assertCan(scope, 'disputes.open')
  const d = parseInput(openDisputeSchema, input)
  const invoice = await scope.db.invoice.findUnique({ where: { id: d.invoiceId } })
  if (!invoice) throw new AppError('not_found', 'No such invoice.')
  let minor: bigint
  try {
    minor = parseDecimal(d.amount, minorDigits(toCurrency(invoice.currency)))
  } catch (e) {
    throw new AppError('invalid_input', 'Check the amount.', { amount: [decimalMessage(e)] })
  }
  const open = await scope.db.dispute.aggregate({
    where: { invoiceId: invoice.id, status: 'open' },
    _sum: { amountMinor: true },
  })
  const disputable = invoice.amountDueMinor - invoice.amountPaidMinor - (open._sum.amountMinor ?? 0n)
  if (minor <= 0n || minor > disputable) {
    throw new AppError('invalid_input', 'Check the amount.', {
      amount: [
        `Dispute between ${formatMoney(money(1n, toCurrency(invoice.currency)))} and ` +
          `${formatMoney(money(disputable, toCurrency(invoice.currency)))}, what is still unpaid and undisputed.`,
      ],
    })
  }
  if (evidence && evidence.bytes.byteLength > MAX_EVIDENCE)
    throw new AppError('invalid_input', 'The evidence file is larger than 10 MB.', {
      evidence: ['Attach a file of at most 10 MB.'],
    })
  return scope.db.$transaction(async (tx) => {
    const id = newId()
    await tx.dispute.create({
      data: {
        id,
        organizationId: scope.organization.id,
        invoiceId: invoice.id,
        reportId: invoice.reportId,
        chargeLabel: d.chargeLabel,
        currency: invoice.currency,
        amountMinor: minor,
        reason: d.reason,
        openedById: scope.actor.userId,
      },
    })
    await tx.disputeMessage.create({ data: messageData(scope, id, d.reason, evidence) })
    await recordAuditEvent(tx, {
      actor: auditActorOf(scope),
      organizationId: scope.organization.id,
      action: 'dispute.open',
      targetType: 'dispute',
      targetId: id,
      changes: { invoiceId: invoice.id, amountMinor: minor.toString() },
    })
    return id
  })
}
