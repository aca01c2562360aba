/**
 * Where an engagement stands against its hours budget (issue 29: an estimate at completion of 286%
 * sat in plain text): past it already, heading past it at the pace so far, or within. An engagement
 * without an hours budget has nothing to be over.
 */
export type BudgetStatus = 'over' | 'forecast_over' | 'within' | 'no_budget'

export function budgetStatus(
  hoursToDate: number,
  estimateAtCompletionHours: number,
  budgetHours: number,
): BudgetStatus {
  if (!(budgetHours > 0)) return 'no_budget'
  if (hoursToDate > budgetHours) return 'over'
  if (estimateAtCompletionHours > budgetHours) return 'forecast_over'
  return 'within'
}
