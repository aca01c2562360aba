import { createHash } from 'node:crypto'
import { z } from 'zod'
import { recordAuditEvent } from '../audit/record-audit-event.ts'
import { newId } from '../db/ids.ts'
import { AppError } from '../errors/app-error.ts'
import { requestAdjustment } from '../ledger/adjustments.ts'
import { minorDigits, type Currency } from '../money/currency.ts'
import { DecimalError, formatDecimal, parseDecimal } from '../money/decimal.ts'
import { formatMoney, money } from '../money/money.ts'
import type { TenantScope } from '../tenancy/tenant-guard.ts'
import { now } from '../platform/clock.ts'

export const openDisputeSchema = z.object({
  invoiceId: z.string().min(1, 'Choose the invoice you dispute.'),
  chargeLabel: z.string().trim().max(200).optional(),
  amount: z.string().trim().min(1, 'Enter the amount you dispute.'),
  reason: z.string().trim().min(10, 'Explain what is wrong, so finance can check it.').max(4000),
})

const ref = (s: TenantScope) => ({ userId: s.actor.userId, email: s.actor.email })
const MAX_EVIDENCE = 10_000_000

/** A partner disputes part of an invoice, with evidence. Scope: royalties.report. */
export async function openDispute(
  scope: TenantScope,
  input: z.input<typeof openDisputeSchema>,
  evidence?: { name: string; bytes: Uint8Array },
) {
  const d = openDisputeSchema.parse(input)
  const invoice = await scope.db.invoice.findUnique({ where: { id: d.invoiceId } })
  if (!invoice) throw new AppError('not_found', 'No such invoice.')
  let minor: bigint
  try {
    minor = parseDecimal(d.amount, minorDigits(invoice.currency as Currency))
  } catch (e) {
    throw new AppError('invalid_input', 'Check the amount.', { amount: [(e as DecimalError).message] })
  }
  const open = await scope.db.dispute.aggregate({
    where: { invoiceId: invoice.id, status: 'open' },
    _sum: { amountMinor: true },
  })
  const disputable = invoice.amountDueMinor - invoice.amountPaidMinor - (open._sum.amountMinor ?? 0n)
  if (minor <= 0n || minor > disputable) {
    throw new AppError('invalid_input', 'Check the amount.', {
      amount: [
        `Dispute between ${formatMoney(money(1n, invoice.currency as Currency))} and ` +
          `${formatMoney(money(disputable, invoice.currency as Currency))}, what is still unpaid and undisputed.`,
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
      actor: ref(scope),
      organizationId: scope.organization.id,
      action: 'dispute.open',
      targetType: 'dispute',
      targetId: id,
      changes: { invoiceId: invoice.id, amountMinor: minor.toString() },
    })
    return id
  })
}

function messageData(
  scope: TenantScope,
  disputeId: string,
  body: string,
  evidence?: { name: string; bytes: Uint8Array },
) {
  return {
    id: newId(),
    disputeId,
    organizationId: scope.organization.id,
    authorId: scope.actor.userId,
    authorEmail: scope.actor.email,
    body,
    ...(evidence &&
      evidence.bytes.byteLength > 0 && {
        evidenceName: evidence.name.slice(0, 200),
        evidence: new Uint8Array(evidence.bytes),
        evidenceSha256: createHash('sha256').update(evidence.bytes).digest('hex'),
      }),
  }
}

/** Either side adds to the thread. Scope: royalties.view (partner) or ledger.adjust (finance). */
export async function addDisputeMessage(
  scope: TenantScope,
  disputeId: string,
  body: string,
  evidence?: { name: string; bytes: Uint8Array },
) {
  if (!body.trim()) throw new AppError('invalid_input', 'Write a message.', { body: ['Write a message.'] })
  const dispute = await scope.db.dispute.findUnique({ where: { id: disputeId } })
  if (!dispute) throw new AppError('not_found', 'No such dispute.')
  if (dispute.status !== 'open') throw new AppError('conflict', 'This dispute is closed.')
  await scope.db.disputeMessage.create({ data: messageData(scope, disputeId, body.trim(), evidence) })
}

/**
 * Finance resolves: upheld (a credit note for the amount, posted once a second finance user
 * approves it) or rejected with a reason. Scope: ledger.adjust.
 */
export async function resolveDispute(
  scope: TenantScope,
  disputeId: string,
  outcome: { decision: 'uphold' | 'reject'; note: string; amount?: string },
) {
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
        actor: ref(scope),
        organizationId: dispute.organizationId,
        action: 'dispute.reject',
        targetType: 'dispute',
        targetId: disputeId,
        changes: { note: outcome.note },
      })
      return { adjustmentId: null }
    }
    const amount = outcome.amount ?? formatDecimal(dispute.amountMinor, minorDigits(dispute.currency as Currency))
    const adjustmentId = await requestAdjustment(
      scope,
      {
        currency: dispute.currency as Currency,
        direction: 'credit',
        amount,
        reason: `Dispute upheld: ${outcome.note.trim()}`,
        disputeId,
      },
      tx,
    )
    await recordAuditEvent(tx, {
      actor: ref(scope),
      organizationId: dispute.organizationId,
      action: 'dispute.uphold',
      targetType: 'dispute',
      targetId: disputeId,
      changes: { adjustmentId },
    })
    return { adjustmentId }
  })
}

export async function listDisputes(scope: TenantScope) {
  const disputes = await scope.db.dispute.findMany({
    include: {
      messages: {
        orderBy: { createdAt: 'asc' },
        select: { id: true, authorEmail: true, body: true, evidenceName: true, evidenceSha256: true, createdAt: true },
      },
    },
    orderBy: { createdAt: 'desc' },
  })
  return disputes.map((d) => ({
    id: d.id,
    invoiceId: d.invoiceId,
    chargeLabel: d.chargeLabel,
    amount: formatMoney(money(d.amountMinor, d.currency as Currency)),
    reason: d.reason,
    status: d.status,
    resolution: d.resolution,
    createdAt: d.createdAt.toISOString(),
    messages: d.messages.map((m) => ({ ...m, createdAt: m.createdAt.toISOString() })),
  }))
}
