import { describe, expect, it } from 'vitest'
import { daysLeftUntilEndOf, daysUntil, urgencyOf } from './urgency.ts'

describe('urgency of a deadline with money behind it', () => {
  it('is calm from 30 days left, amber under 30, red under 7', () => {
    expect(urgencyOf(365)).toBe('calm')
    expect(urgencyOf(30)).toBe('calm')
    expect(urgencyOf(29)).toBe('amber')
    expect(urgencyOf(13)).toBe('amber')
    expect(urgencyOf(7)).toBe('amber')
    expect(urgencyOf(6)).toBe('red')
    expect(urgencyOf(1)).toBe('red')
  })

  it('is red once the day has passed', () => {
    expect(urgencyOf(0)).toBe('red')
    expect(urgencyOf(-40)).toBe('red')
  })

  it('counts the last day of use as a day left, and nothing after it', () => {
    expect(daysLeftUntilEndOf('2027-03-01', '2027-03-13')).toBe(13)
    expect(daysLeftUntilEndOf('2027-03-13', '2027-03-13')).toBe(1)
    expect(daysLeftUntilEndOf('2027-03-14', '2027-03-13')).toBe(0)
    // Across a month end and a leap day.
    expect(daysLeftUntilEndOf('2028-02-28', '2028-03-01')).toBe(3)
  })

  it('counts days to a due date as negative once it is overdue', () => {
    expect(daysUntil('2027-03-01', '2027-03-31')).toBe(30)
    expect(daysUntil('2027-03-31', '2027-03-31')).toBe(0)
    expect(daysUntil('2027-04-10', '2027-03-31')).toBe(-10)
  })
})
