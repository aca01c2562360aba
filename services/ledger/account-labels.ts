import type { LedgerAccountType } from '../platform/db/generated/enums.ts'

/**
 * Each account type of the chart of accounts in words, as finance reads a trial balance (issue 29);
 * the code stays beside it. A new account type fails the type check until it has a name here.
 */
export const accountLabels: Record<LedgerAccountType, string> = {
  royalty_receivable: 'Royalties receivable',
  services_receivable: 'Services receivable',
  training_receivable: 'Training receivable',
  royalty_revenue: 'Royalty revenue',
  base_fee_revenue: 'Base license fee revenue',
  pilot_fee_revenue: 'Paid pilot revenue',
  minimum_guarantee_revenue: 'Minimum-guarantee shortfall revenue',
  deferred_revenue: 'Deferred revenue (prepaid advances)',
  cash: 'Cash',
  partner_credit: 'Partner credit (owed back to partners)',
  credit_program_expense: 'Contributor credit program expense',
  contributor_credit: 'Contributor credits held',
  credit_redeemed: 'Contributor credits redeemed',
  credit_breakage: 'Contributor credits expired (breakage)',
  services_revenue: 'Professional services revenue',
  training_revenue: 'Training revenue',
}

const isAccountType = (type: string): type is LedgerAccountType => Object.hasOwn(accountLabels, type)
export const accountLabel = (type: string): string => (isAccountType(type) ? accountLabels[type] : type)
