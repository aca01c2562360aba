import { z } from 'zod'
import { auditActorOf, recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { newId } from '../platform/db/ids.ts'
import { AppError } from '../platform/errors/app-error.ts'
import type { Actor } from '../identity/actor.ts'
import { assertCanAsStaff } from '../tenancy/tenant-guard.ts'
import { currencyCodes, minorDigits } from '../kernel/money/currency.ts'
import { decimalMessage, parseDecimal } from '../kernel/money/decimal.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

export const rateSchema = z.object({
  rateRole: z
    .string()
    .trim()
    .regex(/^[a-z_]{2,40}$/, 'A role is lowercase words joined by _, like principal_engineer.'),
  currency: z.enum(currencyCodes, 'Choose a currency.'),
  rate: z.string().trim().min(1, 'Enter the hourly rate.').max(20),
  effectiveFrom: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter a date like 2027-03-01.'),
  customerId: z.string().trim().max(64).optional(),
  engagementId: z.string().trim().max(64).optional(),
})

/**
 * Adds an hourly rate from a day on: standard, or for one customer or engagement. A rate is never
 * edited in place: a new row from a later day supersedes it, so approved time keeps the rate it was
 * priced at.
 */
export async function setRate(actor: Actor, input: z.input<typeof rateSchema>) {
  assertCanAsStaff(actor, 'services.manage')
  const f = parseInput(rateSchema, input)
  let rateMinor: bigint
  try {
    rateMinor = parseDecimal(f.rate, minorDigits(f.currency))
  } catch (e) {
    throw new AppError('invalid_input', 'Check the rate.', { rate: [decimalMessage(e)] })
  }
  if (rateMinor <= 0n) throw new AppError('invalid_input', 'Check the rate.', { rate: ['Enter a rate above zero.'] })
  const scope = f.engagementId ? `engagement:${f.engagementId}` : f.customerId ? `customer:${f.customerId}` : 'standard'
  const effectiveFrom = new Date(`${f.effectiveFrom}T00:00:00Z`)
  const taken = await unscopedDb('catalogue').rateCard.findUnique({
    where: {
      rateRole_currency_effectiveFrom_scope: { rateRole: f.rateRole, currency: f.currency, effectiveFrom, scope },
    },
  })
  if (taken)
    throw new AppError('conflict', 'A rate for this role already starts that day; add one from another day.', {
      effectiveFrom: ['Already has a rate for this role and scope.'],
    })
  const id = newId()
  await unscopedDb('catalogue').$transaction(async (tx) => {
    await tx.rateCard.create({
      data: {
        id,
        rateRole: f.rateRole,
        currency: f.currency,
        rateMinor,
        effectiveFrom,
        customerId: f.engagementId ? null : f.customerId || null,
        engagementId: f.engagementId || null,
        scope,
        createdById: actor.userId,
      },
    })
    await recordAuditEvent(tx, {
      actor: auditActorOf({ actor }),
      organizationId: null,
      action: 'rate_card.add',
      targetType: 'rate_card',
      targetId: id,
      changes: { ...f, rateMinor: rateMinor.toString() },
    })
  })
  return { id }
}
