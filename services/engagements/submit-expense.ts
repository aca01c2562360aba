import { createHash } from 'node:crypto'
import { z } from 'zod'
import { auditActorOf, recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { newId } from '../platform/db/ids.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { todayUtc } from '../platform/clock.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { parseAmount } from './engagement-money.ts'
import { isoDay } from './log-week.ts'
import { RECEIPT_MAX_BYTES, receiptTypeOf } from './receipt-type.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

export const expenseSchema = z.object({
  engagementId: z.string().trim().min(1).max(64),
  day: z
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter a date like 2027-03-01.'),
  description: z.string().trim().min(3, 'Say what the expense was.').max(300),
  amount: z.string().trim().min(1, 'Enter the amount on the receipt.').max(20),
})

export interface Receipt {
  filename: string
  bytes: Uint8Array
}

/**
 * A consultant on the team submits a billable expense with its receipt. The receipt must be a PNG,
 * JPEG or PDF by its content (the name and the browser's type prove nothing); the lead approves it.
 */
export async function submitExpense(scope: TenantScope, input: z.input<typeof expenseSchema>, receipt: Receipt | null) {
  assertCan(scope, 'expenses.submit')
  const f = parseInput(expenseSchema, input)
  const e = await scope.db.engagement.findFirst({ where: { id: f.engagementId }, include: { members: true } })
  if (!e || !e.members.some((m) => m.userId === scope.actor.userId))
    throw new AppError('not_found', 'No such engagement on your team.')
  if (e.status !== 'active')
    throw new AppError('conflict', `Expenses are submitted on an active engagement; this one is ${e.status}.`)
  const amountMinor = parseAmount(f.amount, e.currency, 'amount')
  const fields: Record<string, string[]> = {}
  if (f.day > todayUtc()) fields.day = ['An expense is submitted once it is spent, not before.']
  else if (f.day < isoDay(e.startsOn) || (e.endsOn && f.day > isoDay(e.endsOn)))
    fields.day = [`The engagement runs ${isoDay(e.startsOn)} to ${e.endsOn ? isoDay(e.endsOn) : 'open'}.`]
  const type = receipt && receipt.bytes.byteLength > 0 ? receiptTypeOf(receipt.bytes) : null
  if (!receipt || receipt.bytes.byteLength === 0) fields.receipt = ['Attach the receipt.']
  else if (receipt.bytes.byteLength > RECEIPT_MAX_BYTES) fields.receipt = ['A receipt is at most 10 MB.']
  else if (!type) fields.receipt = ['Attach the receipt as a PNG, a JPEG or a PDF; this file is none of them.']
  if (Object.keys(fields).length) throw new AppError('invalid_input', 'Check the expense.', fields)
  const id = newId()
  const sha256 = createHash('sha256').update(receipt!.bytes).digest('hex')
  await scope.db.$transaction(async (tx) => {
    await tx.engagementExpense.create({
      data: {
        id,
        organizationId: e.organizationId,
        engagementId: e.id,
        userId: scope.actor.userId,
        day: new Date(`${f.day}T00:00:00Z`),
        description: f.description,
        amountMinor,
        receiptFilename: receipt!.filename.replace(/[^\w.\- ]+/g, '_').slice(0, 120) || 'receipt',
        receiptContentType: type!,
        receiptBytes: new Uint8Array(receipt!.bytes),
        receiptSha256: sha256,
      },
    })
    await recordAuditEvent(tx, {
      actor: auditActorOf(scope),
      organizationId: e.organizationId,
      action: 'expense.submit',
      targetType: 'engagement',
      targetId: e.id,
      changes: { expenseId: id, amountMinor: amountMinor.toString(), receiptSha256: sha256 },
    })
  })
  return { id }
}
