import { z } from 'zod'
import { auditActorOf, recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { accountIds, postJournalEntry } from '../ledger/post-journal-entry.ts'
import { now } from '../platform/clock.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { CREDIT_CURRENCY, expiryOf, tierLabel } from './program-terms.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

export const acceptGrantSchema = z.object({
  grantId: z.string().trim().min(1).max(64),
  terms: z.literal('on', 'Tick the box to accept the program terms.'),
  listPublicly: z.literal('on').optional(),
})

/**
 * The contributor accepts the program terms: the grant becomes theirs, its 12 months start today,
 * and the credits are booked (the program's expense, the contributor's balance).
 */
export async function acceptGrant(scope: TenantScope, input: z.input<typeof acceptGrantSchema>) {
  assertCan(scope, 'rewards.accept')
  const f = parseInput(acceptGrantSchema, input)
  return scope.db.$transaction(async (tx) => {
    const grant = await tx.creditGrant.findFirst({ where: { id: f.grantId } })
    if (!grant || grant.status !== 'approved' || grant.revokedAt)
      throw new AppError('not_found', 'No such grant waits for you.')
    if (grant.grantedAt) throw new AppError('conflict', 'You accepted this grant already.')
    const grantedAt = now()
    const expiresAt = expiryOf(grantedAt)
    const updated = await tx.creditGrant.updateMany({
      where: { id: grant.id, grantedAt: null },
      data: { grantedAt, expiresAt, listPublicly: f.listPublicly === 'on' },
    })
    if (updated.count === 0) throw new AppError('conflict', 'You accepted this grant already.')
    await postJournalEntry(tx, {
      organizationId: scope.organization.id,
      currency: CREDIT_CURRENCY,
      idempotencyKey: `credit-grant:${grant.id}`,
      kind: 'credit_grant',
      description: `${grant.year} contributor credits (${tierLabel(grant.amountMinor)})`,
      effectiveDate: grantedAt.toISOString().slice(0, 10),
      lines: [
        { account: 'credit_program_expense', debitMinor: grant.amountMinor, memo: 'Contributor reward program' },
        { account: 'contributor_credit', creditMinor: grant.amountMinor, memo: 'Credits granted' },
      ],
    })
    // The account's books open in full now, so a spend or an expiry finds them (record-usage.ts).
    await accountIds(tx, scope.organization.id, CREDIT_CURRENCY, ['credit_redeemed', 'credit_breakage'])
    await recordAuditEvent(tx, {
      actor: auditActorOf(scope),
      organizationId: scope.organization.id,
      action: 'credits.grant.accept',
      targetType: 'credit_grant',
      targetId: grant.id,
      changes: { expiresAt: expiresAt.toISOString(), listPublicly: f.listPublicly === 'on' },
    })
    return { expiresAt }
  })
}
