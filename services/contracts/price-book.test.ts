import { describe, expect, it } from 'vitest'
import type { ContractTerms } from '../rating/contract-terms.ts'
import { priceBookExceptions } from './price-book.ts'
import { hybridTerms } from '../rating/sample-terms.ts'

const bands = (t: ContractTerms) => t.perDeviceRoyalty!.bands

describe('the standard price book', () => {
  it('has nothing to say about standard terms', () => {
    expect(priceBookExceptions('production_license', hybridTerms())).toEqual([])
  })

  it('names every term outside it, so finance knows what it approves', () => {
    const t = hybridTerms({ revenueShare: { percent: '3.00' }, baseFee: { amount: '2000.00', period: 'month' } })
    bands(t)[1]!.tiers[1]!.rate = '0.40'
    t.term.end = '2033-06-30'
    expect(priceBookExceptions('production_license', t)).toEqual([
      'Band “Mainstream” tier 2 charges $0.40 per device, under the $0.50 floor for devices from $100.00.',
      'A revenue share of 3.00% is under the standard minimum of 5.00%.',
      'A base license fee of $24,000.00 per year is under the standard minimum of $50,000.00.',
      'A term of 78 months is longer than the standard 60.',
    ])
  })

  it('sends every contract in a currency without a price book to finance', () => {
    expect(priceBookExceptions('production_license', hybridTerms({ currency: 'JPY' }))).toEqual([
      'There is no standard price book for JPY: every JPY contract needs finance’s approval.',
    ])
  })
})
