import { describe, expect, it } from 'vitest'
import { retakeEligibility, type PastAttempt } from './retake-policy.ts'

const policy = { retakeWaitDays: [14, 60, 365], yearlyCap: 4, validityMonths: 24 }
const at = (s: string) => new Date(`${s}T12:00:00Z`)
const failed = (number: number, day: string, paid = true): PastAttempt => ({
  number,
  startedAt: at(day),
  submittedAt: at(day),
  passed: false,
  paid,
  freeRetake: !paid,
})

describe('retake policy', () => {
  it('the first attempt is allowed and is not a free retake', () => {
    expect(retakeEligibility([], policy, at('2027-01-01'))).toEqual({ allowed: true, freeRetake: false })
  })

  it('after a failure: 14 days, then the one free retake', () => {
    const past = [failed(1, '2027-01-01')]
    expect(retakeEligibility(past, policy, at('2027-01-10'))).toMatchObject({
      allowed: false,
      nextAllowedAt: at('2027-01-15'),
    })
    expect(retakeEligibility(past, policy, at('2027-01-15'))).toEqual({ allowed: true, freeRetake: true })
  })

  it('the waits grow: 60 days after the second failure, a year after the third', () => {
    const two = [failed(1, '2027-01-01'), failed(2, '2027-01-20', false)]
    expect(retakeEligibility(two, policy, at('2027-03-20'))).toMatchObject({ allowed: false })
    expect(retakeEligibility(two, policy, at('2027-03-21'))).toEqual({ allowed: true, freeRetake: false })
    const three = [...two, failed(3, '2027-03-25')]
    expect(retakeEligibility(three, policy, at('2028-03-23'))).toMatchObject({ allowed: false })
  })

  it('the yearly cap counts attempts started in any 365 days', () => {
    const noWait = { ...policy, retakeWaitDays: [0] }
    const four = [1, 2, 3, 4].map((n) => failed(n, `2027-0${n}-01`))
    expect(retakeEligibility(four, noWait, at('2027-06-01'))).toMatchObject({
      allowed: false,
      nextAllowedAt: at('2028-01-01'),
    })
  })

  it('after a pass, not until recertification opens 90 days before expiry', () => {
    const pass: PastAttempt = { ...failed(1, '2027-01-01'), passed: true }
    expect(retakeEligibility([pass], policy, at('2028-10-01'))).toMatchObject({ allowed: false })
    expect(retakeEligibility([pass], policy, at('2028-10-04'))).toMatchObject({ allowed: true })
  })

  it('an attempt in progress blocks another', () => {
    const active: PastAttempt = { ...failed(1, '2027-01-01'), submittedAt: null, passed: null }
    expect(retakeEligibility([active], policy, at('2027-01-01'))).toMatchObject({ allowed: false })
  })
})
