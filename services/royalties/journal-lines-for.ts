import type { LedgerAccountType } from '../platform/db/generated/enums.ts'
import type { PostingLine } from '../ledger/post-journal-entry.ts'
import type { ReportRating } from './rate-contract.ts'

/** A signed amount on its normal side, or on the other side when negative (a true-up that lowers a year). */
const side = (account: LedgerAccountType, normal: 'debit' | 'credit', amount: bigint, memo: string): PostingLine =>
  amount >= 0n === (normal === 'debit')
    ? { account, debitMinor: amount >= 0n ? amount : -amount, memo }
    : { account, creditMinor: amount >= 0n ? amount : -amount, memo }

/** Double entry for one rated period; receivable = what is invoiced (or credited), revenue by kind. */
export function journalLinesFor(r: ReportRating, tag: string): PostingLine[] {
  const sum = (kinds: string[]) => r.lines.filter((l) => kinds.includes(l.kind)).reduce((s, l) => s + l.amountMinor, 0n)
  // Royalties after the cap, true-ups included: negative when re-pricing the year gives back more than
  // this period adds.
  const earned = sum(['royalty', 'volume_true_up', 'revenue_share', 'cap_reduction'])
  return [
    side('royalty_receivable', 'debit', earned - r.recoupedMinor, `Royalties ${tag}`),
    { account: 'deferred_revenue', debitMinor: r.recoupedMinor, memo: `Advance recouped ${tag}` },
    side('royalty_revenue', 'credit', earned, `Royalties earned ${tag}`),
    { account: 'royalty_receivable', debitMinor: sum(['base_fee']), memo: `Base license fee ${tag}` },
    { account: 'base_fee_revenue', creditMinor: sum(['base_fee']), memo: `Base license fee ${tag}` },
    {
      account: 'royalty_receivable',
      debitMinor: sum(['minimum_guarantee_shortfall']),
      memo: `Minimum-guarantee shortfall ${tag}`,
    },
    {
      account: 'minimum_guarantee_revenue',
      creditMinor: sum(['minimum_guarantee_shortfall']),
      memo: `Minimum-guarantee shortfall ${tag}`,
    },
    { account: 'royalty_receivable', debitMinor: sum(['pilot_fee']), memo: `Pilot fee` },
    { account: 'pilot_fee_revenue', creditMinor: sum(['pilot_fee']), memo: `Pilot fee` },
  ]
}
