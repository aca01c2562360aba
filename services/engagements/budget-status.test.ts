import { describe, expect, it } from 'vitest'
import { budgetStatus } from './budget-status.ts'

describe('an engagement against its hours budget (issue 29)', () => {
  it('is over once the hours approved pass the budget, whatever the forecast', () => {
    expect(budgetStatus(286, 286, 100)).toBe('over')
    expect(budgetStatus(100.5, 90, 100)).toBe('over')
  })

  it('is heading over when the estimate at completion passes the budget', () => {
    expect(budgetStatus(60, 143, 100)).toBe('forecast_over')
  })

  it('is within at exactly the budget, and has no status without one', () => {
    expect(budgetStatus(100, 100, 100)).toBe('within')
    expect(budgetStatus(15.5, 15.5, 100)).toBe('within')
    expect(budgetStatus(40, 80, 0)).toBe('no_budget')
  })
})
