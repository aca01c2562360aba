import { z } from 'zod'
import { recordAuditEvent } from '../audit/record-audit-event.ts'
import { todayUtc } from '../contracts/contract-records.ts'
import type { Tx } from '../db/client.ts'
import { newId } from '../db/ids.ts'
import { AppError } from '../errors/app-error.ts'
import { currencyCodes, minorDigits, type Currency } from '../money/currency.ts'
import { DecimalError, parseDecimal } from '../money/decimal.ts'
import type { TenantScope } from '../tenancy/tenant-guard.ts'
import { postJournalEntry } from './post-journal-entry.ts'
import { now } from '../platform/clock.ts'

export const adjustmentSchema = z.object({
  currency: z.enum(currencyCodes),
  direction: z.enum(['credit', 'debit'], 'Choose a credit note (the partner owes less) or a debit note (more).'),
  amount: z.string().trim().min(1, 'Enter the amount.'),
  reason: z.string().trim().min(5, 'Say why, so the approver and the partner understand it.').max(500),
})

const actorRef = (s: TenantScope) => ({ userId: s.actor.userId, email: s.actor.email })

/** Finance proposes a credit or debit note; nothing posts until a second person approves. Scope: ledger.adjust. */
export async function requestAdjustment(
  scope: TenantScope,
  input: z.input<typeof adjustmentSchema> & { disputeId?: string },
  tx?: Tx,
) {
  const { currency, direction, amount, reason } = adjustmentSchema.parse(input)
  let minor: bigint
  try {
    minor = parseDecimal(amount, minorDigits(currency as Currency))
  } catch (e) {
    throw new AppError('invalid_input', 'Check the amount.', { amount: [(e as DecimalError).message] })
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
      actor: actorRef(scope),
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
  return scope.db.$transaction(async (tx) => {
    const a = await tx.adjustment.findUnique({ where: { id: adjustmentId } })
    if (!a) throw new AppError('not_found', 'No such adjustment.')
    if (a.status !== 'pending') throw new AppError('conflict', `This adjustment is already ${a.status}.`)
    if (a.requestedById === scope.actor.userId)
      throw new AppError('forbidden', 'A second finance user must decide on an adjustment you requested.')
    let journalEntryId: string | null = null
    if (decision === 'approve') {
      const credit = a.amountMinor < 0n
      const amount = credit ? -a.amountMinor : a.amountMinor
      const entry = await postJournalEntry(tx, {
        organizationId: a.organizationId,
        currency: a.currency,
        idempotencyKey: `adjustment:${a.id}`,
        kind: 'adjustment',
        description: `${credit ? 'Credit' : 'Debit'} note: ${a.reason}`,
        effectiveDate: todayUtc(),
        createdById: scope.actor.userId,
        lines: credit
          ? [
              { account: 'royalty_revenue', debitMinor: amount, memo: `Credit note: ${a.reason}` },
              { account: 'royalty_receivable', creditMinor: amount, memo: `Credit note: ${a.reason}` },
            ]
          : [
              { account: 'royalty_receivable', debitMinor: amount, memo: `Debit note: ${a.reason}` },
              { account: 'royalty_revenue', creditMinor: amount, memo: `Debit note: ${a.reason}` },
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
      actor: actorRef(scope),
      organizationId: a.organizationId,
      action: `adjustment.${decision}`,
      targetType: 'adjustment',
      targetId: a.id,
      changes: { note: note ?? null, journalEntryId },
    })
    return { journalEntryId }
  })
}
