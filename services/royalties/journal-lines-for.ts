import type { PostingLine } from '../ledger/post-journal-entry.ts'
import type { ReportRating } from './rate-contract.ts'

/** Double entry for one rated period; receivable = what is invoiced, revenue by kind. */
export function journalLinesFor(r: ReportRating, tag: string): PostingLine[] {
  const sum = (kinds: string[]) => r.lines.filter((l) => kinds.includes(l.kind)).reduce((s, l) => s + l.amountMinor, 0n)
  const earned = sum(['royalty', 'revenue_share', 'cap_reduction'])
  return [
    { account: 'royalty_receivable', debitMinor: earned - r.recoupedMinor, memo: `Royalties ${tag}` },
    { account: 'deferred_revenue', debitMinor: r.recoupedMinor, memo: `Advance recouped ${tag}` },
    { account: 'royalty_revenue', creditMinor: earned, memo: `Royalties earned ${tag}` },
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
