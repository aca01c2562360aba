import { z } from 'zod'
import { auditActorOf, recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { newId } from '../platform/db/ids.ts'
import { AppError } from '../platform/errors/app-error.ts'
import type { Actor } from '../identity/actor.ts'
import { decimalMessage, parseDecimal } from '../kernel/money/decimal.ts'
import { CATEGORIES, tierOf } from './program-terms.ts'
import { assertCanAsStaff } from '../tenancy/tenant-guard.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

export const proposeGrantSchema = z.object({
  // The program year must exist (its budget is set first); this only keeps the number sane.
  year: z.coerce.number().int().min(2023).max(9999),
  login: z.string().trim().min(1, 'Choose a contributor.').max(100),
  amount: z.string().trim().max(20).optional(),
  category: z.enum(CATEGORIES).or(z.literal('')).optional(),
  reason: z.string().trim().max(500).optional(),
})

/** The contributor's own account: `gh-` and their GitHub login, lowercased. */
export const accountSlugOf = (login: string) =>
  `gh-${login
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')}`.slice(0, 60)

/**
 * A program manager proposes a grant for a ranked contributor of the year's snapshot, at their tier's
 * amount unless a reason says otherwise. Nothing is granted until a second person approves.
 */
export async function proposeGrant(actor: Actor, input: z.input<typeof proposeGrantSchema>) {
  assertCanAsStaff(actor, 'rewards.manage_program')
  const f = parseInput(proposeGrantSchema, input)
  const program = await unscopedDb('staff view').creditProgram.findUnique({ where: { year: f.year } })
  if (!program) throw new AppError('invalid_input', `Set the ${f.year} budget before proposing grants.`)
  const scored = await unscopedDb('staff view').contributorScore.findFirst({
    where: { snapshot: { year: f.year }, login: f.login },
  })
  if (!scored)
    throw new AppError('invalid_input', `${f.login} is not in the ${f.year} snapshot.`, {
      login: ['Not in the snapshot.'],
    })
  const tier = tierOf(scored.rank)
  if (!tier || scored.excluded)
    throw new AppError('invalid_input', `${f.login} is not among the top 50 of ${f.year}.`, {
      login: [scored.excluded ? `Excluded (${scored.excluded}).` : 'Not in the top 50.'],
    })
  if (!scored.email)
    throw new AppError('invalid_input', `${f.login} has no commit email to invite.`, { login: ['No email to invite.'] })
  let amountMinor: bigint = tier.amountMinor
  if (f.amount) {
    try {
      amountMinor = parseDecimal(f.amount, 2)
    } catch (e) {
      throw new AppError('invalid_input', 'Check the amount.', { amount: [decimalMessage(e)] })
    }
    if (amountMinor < 50_000n || amountMinor > 200_000n)
      throw new AppError('invalid_input', 'Check the amount.', { amount: ['Grants are $500 to $2,000.'] })
    if (amountMinor !== tier.amountMinor && !f.reason)
      throw new AppError('invalid_input', 'Say why.', { reason: ['An amount other than the tier’s needs a reason.'] })
  }
  const existing = await unscopedDb('staff view').creditGrant.findUnique({
    where: { year_login: { year: f.year, login: scored.login } },
  })
  if (existing && existing.status !== 'rejected')
    throw new AppError('conflict', `${scored.login} already has a ${f.year} grant (${existing.status}).`)
  const slug = accountSlugOf(scored.login)
  return unscopedDb('staff view').$transaction(async (tx) => {
    const org =
      (await tx.organization.findUnique({ where: { slug }, select: { id: true, kind: true } })) ??
      (await tx.organization.create({
        data: {
          id: newId(),
          slug,
          name: scored.name ? `${scored.name} (${scored.login})` : scored.login,
          kind: 'contributor',
        },
        select: { id: true, kind: true },
      }))
    if (org.kind !== 'contributor') throw new AppError('conflict', `The account name ${slug} is taken.`)
    const data = {
      organizationId: org.id,
      email: scored.email!,
      tier: tier.tier,
      amountMinor,
      category: f.category || null,
      reason: f.reason || `${tier.tier} tier, rank ${scored.rank}`,
      proposedById: actor.userId,
      status: 'proposed' as const,
      decidedById: null,
      decidedAt: null,
    }
    const grant = existing
      ? await tx.creditGrant.update({ where: { id: existing.id }, data })
      : await tx.creditGrant.create({ data: { id: newId(), year: f.year, login: scored.login, ...data } })
    await recordAuditEvent(tx, {
      actor: auditActorOf({ actor }),
      organizationId: org.id,
      action: 'credits.grant.propose',
      targetType: 'credit_grant',
      targetId: grant.id,
      changes: {
        login: scored.login,
        year: f.year,
        amountMinor: amountMinor.toString(),
        category: data.category,
        reason: data.reason,
      },
    })
    return grant
  })
}
