import { describe, expect, it } from 'vitest'
import { contractYearOf, daysInForce, guaranteePeriodOf, prorate } from './contract-calendar.ts'

describe('the calendar of a contract that starts on 2027-01-15', () => {
  const contract = { start: '2027-01-15', end: '2029-01-14' }

  it('anchors contract years and quarterly guarantees at the quarter holding the start', () => {
    expect(contractYearOf(contract.start, '2027-01-01')).toEqual({ index: 0, start: '2027-01-01', end: '2028-01-01' })
    expect(contractYearOf(contract.start, '2027-12-01').index).toBe(0)
    expect(contractYearOf(contract.start, '2028-01-01').index).toBe(1)
    expect(guaranteePeriodOf(contract.start, '2027-03-01', 'quarter')).toMatchObject({
      start: '2027-01-01',
      end: '2027-04-01',
    })
    expect(guaranteePeriodOf(contract.start, '2027-04-01', 'quarter').index).toBe(1)
  })

  it('charges the first quarter for the 76 of its 90 days in force', () => {
    // Jan 15–31 is 17 days, plus February's 28 and March's 31: 76 of the quarter's 90.
    expect(daysInForce({ start: '2027-01-01', end: '2027-04-01' }, contract)).toBe(76)
    // $30,000.00 × 76 / 90 = $25,333.333… → $25,333.33
    expect(prorate(3_000_000n, { start: '2027-01-01', end: '2027-04-01' }, contract)).toEqual({
      amountMinor: 2_533_333n,
      activeDays: 76,
      totalDays: 90,
    })
    // The last day in force is 2029-01-14: 14 of the quarter's 90 days.
    expect(daysInForce({ start: '2029-01-01', end: '2029-04-01' }, contract)).toBe(14)
    expect(prorate(3_000_000n, { start: '2027-04-01', end: '2027-07-01' }, contract).amountMinor).toBe(3_000_000n)
  })

  it('anchors a start in the middle of a quarter at that quarter, for monthly and quarterly reports alike', () => {
    const start = '2027-11-20'
    expect(contractYearOf(start, '2027-10-01')).toEqual({ index: 0, start: '2027-10-01', end: '2028-10-01' })
    expect(contractYearOf(start, '2028-09-01').index).toBe(0)
    expect(contractYearOf(start, '2028-10-01').index).toBe(1)
  })
})
