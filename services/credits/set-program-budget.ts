import { z } from 'zod'
import { auditActorOf, recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { AppError } from '../platform/errors/app-error.ts'
import type { Actor } from '../identity/actor.ts'
import { decimalMessage, parseDecimal } from '../kernel/money/decimal.ts'
import { CREDIT_CURRENCY, usd } from './program-terms.ts'
import { assertCanAsStaff } from '../tenancy/tenant-guard.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

export const budgetSchema = z.object({
  year: z.coerce.number('Enter the year.').int('Enter the year.').min(2023, 'The program started in 2023.').max(2100),
  budget: z.string().trim().min(1, 'Enter the budget in USD, like 60000.'),
})

/** Sets a program year's budget; it cannot go below what is already approved. */
export async function setProgramBudget(actor: Actor, input: z.input<typeof budgetSchema>) {
  assertCanAsStaff(actor, 'rewards.manage_program')
  const { year, budget } = parseInput(budgetSchema, input)
  let budgetMinor: bigint
  try {
    budgetMinor = parseDecimal(budget, 2)
  } catch (e) {
    throw new AppError('invalid_input', 'Check the budget.', { budget: [decimalMessage(e)] })
  }
  if (budgetMinor < 0n) throw new AppError('invalid_input', 'Check the budget.', { budget: ['Enter zero or more.'] })
  return unscopedDb('staff view').$transaction(async (tx) => {
    const before = await tx.$queryRaw<{ budgetMinor: bigint }[]>`
      SELECT "budgetMinor" FROM "CreditProgram" WHERE "year" = ${year} FOR UPDATE`
    const approved = await tx.creditGrant.aggregate({
      where: { year, status: 'approved' },
      _sum: { amountMinor: true },
    })
    const used = approved._sum.amountMinor ?? 0n
    if (budgetMinor < used)
      throw new AppError('conflict', 'Check the budget.', {
        budget: [`Grants of ${usd(used)} are already approved for ${year}; the budget cannot be less.`],
      })
    await tx.creditProgram.upsert({
      where: { year },
      create: { year, currency: CREDIT_CURRENCY, budgetMinor },
      update: { budgetMinor },
    })
    await recordAuditEvent(tx, {
      actor: auditActorOf({ actor }),
      organizationId: null,
      action: 'credits.budget',
      targetType: 'credit_program',
      targetId: String(year),
      changes: { before: before[0]?.budgetMinor.toString() ?? null, after: budgetMinor.toString() },
    })
  })
}
