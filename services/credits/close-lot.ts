import type { Tx } from '../platform/db/client.ts'
import { newId } from '../platform/db/ids.ts'
import { postJournalEntry } from '../ledger/post-journal-entry.ts'
import { now } from '../platform/clock.ts'
import type { Lot } from './allocate-usage.ts'
import { CREDIT_CURRENCY } from './program-terms.ts'

const booking = {
  expiry: { kind: 'credit_expiry', account: 'credit_breakage', memo: 'Expired unspent', what: 'expired' },
  revocation: { kind: 'credit_revocation', account: 'credit_program_expense', memo: 'Revoked', what: 'revoked' },
} as const

/**
 * Takes what a (locked) lot still holds out of it, as an expiry or a revocation: one draw and one
 * journal entry, each keyed by the lot, so running it twice takes nothing more.
 */
export async function closeLot(
  tx: Tx,
  organizationId: string,
  lot: Lot,
  reason: keyof typeof booking,
  effectiveDate: string,
): Promise<bigint> {
  if (lot.remainingMinor <= 0n) return 0n
  const b = booking[reason]
  const entry = await postJournalEntry(tx, {
    organizationId,
    currency: CREDIT_CURRENCY,
    idempotencyKey: `credit-${reason}:${lot.id}`,
    kind: b.kind,
    description: `Contributor credits ${b.what}`,
    effectiveDate,
    lines: [
      { account: 'contributor_credit', debitMinor: lot.remainingMinor, memo: b.memo },
      { account: b.account, creditMinor: lot.remainingMinor, memo: b.memo },
    ],
  })
  if (!entry.created) return 0n
  await tx.creditDraw.create({
    data: {
      id: newId(),
      organizationId,
      grantId: lot.id,
      kind: reason,
      key: `${reason}:${lot.id}`,
      amountMinor: lot.remainingMinor,
      journalEntryId: entry.id,
      createdAt: now(),
    },
  })
  return lot.remainingMinor
}
