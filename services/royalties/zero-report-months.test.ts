import { describe, expect, it } from 'vitest'
import { hybridTerms } from '../rating/sample-terms.ts'
import { zeroReportMonths } from './zero-report-months.ts'

const term = { start: '2031-01-01', end: '2033-12-31', renewal: { kind: 'none' as const } }

describe('the zero reports closing a month files', () => {
  it('files every unreported month of a guarantee quarter that ends with the month, and the base fee month', () => {
    const t = hybridTerms({
      term,
      baseFee: { amount: '120000.00', period: 'year' },
      minimumGuarantee: { amount: '100000.00', period: 'quarter', carryForwardExcess: false },
    })
    const c = { terminatedOn: null, first: t, latest: t }
    // January was reported; February and March were not.
    expect(zeroReportMonths(c, '2031-03-01', [{ start: '2031-01-01', end: '2031-02-01' }])).toEqual([
      { month: '2031-02-01', reasons: ['guarantee'] },
      { month: '2031-03-01', reasons: ['guarantee', 'base fee'] },
    ])
    // February closes no guarantee period: only its base fee.
    expect(zeroReportMonths(c, '2031-02-01', [])).toEqual([{ month: '2031-02-01', reasons: ['base fee'] }])
  })

  it('files nothing before the contract starts or after it was terminated', () => {
    const t = hybridTerms({ term, baseFee: { amount: '120000.00', period: 'year' }, minimumGuarantee: undefined })
    expect(zeroReportMonths({ terminatedOn: null, first: t, latest: t }, '2030-12-01', [])).toEqual([])
    expect(zeroReportMonths({ terminatedOn: '2031-04-15', first: t, latest: t }, '2031-05-01', [])).toEqual([])
  })
})
