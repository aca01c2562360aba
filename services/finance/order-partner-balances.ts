/** Names compared as people read them: "Contributor 2" before "Contributor 11". */
export const naturalCompare = new Intl.Collator('en', { numeric: true, sensitivity: 'base' }).compare

/** People's own accounts (a contributor's credits, a learner's training): listed after the partners. */
const PERSONAL_KINDS: readonly string[] = ['contributor', 'learner']

export interface PartnerBalance {
  partner: string
  /** The organization's kind: partners come before contributor and learner accounts. */
  kind: string
  currency: string
  /** What the partner owes (receivables), in minor units. */
  owed: bigint
  /** Every balance that makes the row worth showing: owed, deferred, credited. */
  balances: bigint[]
}

/**
 * Partner balances as finance reads them (issue 29): partners before contributor and learner accounts,
 * who owes the most first, names in natural order where the amounts are equal, and rows whose every
 * balance is zero left out unless asked for.
 */
export function orderPartnerBalances<T extends PartnerBalance>(rows: readonly T[], { all = false } = {}): T[] {
  return rows
    .filter((r) => all || r.balances.some((b) => b !== 0n))
    .sort(
      (a, b) =>
        Number(PERSONAL_KINDS.includes(a.kind)) - Number(PERSONAL_KINDS.includes(b.kind)) ||
        (a.owed === b.owed ? 0 : a.owed > b.owed ? -1 : 1) ||
        naturalCompare(a.partner, b.partner) ||
        a.currency.localeCompare(b.currency),
    )
}
