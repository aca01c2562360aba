import { describe, expect, it } from 'vitest'
import { validateContractTerms, type ContractKindName, type ContractTerms } from './contract-terms.ts'
import { hybridTerms } from './sample-terms.ts'

const bands = (t: ContractTerms) => t.perDeviceRoyalty!.bands

// Each invalid case: what is wrong, where, and the message a person acts on.
const invalid: [string, ContractKindName, (t: ContractTerms) => unknown, string, string][] = [
  [
    'a gap between price bands',
    'production_license',
    (t) => {
      bands(t)[1]!.minAsp = '150.00'
    },
    'perDeviceRoyalty.bands.1.minAsp',
    'Band “Mainstream” starts at $150.00 but the band before ends at $100.00: devices between $100.00 and ' +
      '$150.00 have no rate.',
  ],
  [
    'overlapping price bands',
    'production_license',
    (t) => {
      bands(t)[1]!.minAsp = '80'
    },
    'perDeviceRoyalty.bands.1.minAsp',
    'Band “Mainstream” starts at $80.00, inside the band before (which ends at $100.00): bands may not overlap.',
  ],
  [
    'a first band that does not start at zero',
    'production_license',
    (t) => {
      bands(t)[0]!.minAsp = '10'
    },
    'perDeviceRoyalty.bands.0.minAsp',
    'The first price band must start at $0.00, or devices below $10.00 have no rate.',
  ],
  [
    'a last band with a maximum',
    'production_license',
    (t) => {
      bands(t)[2]!.maxAsp = '2000'
    },
    'perDeviceRoyalty.bands.2.maxAsp',
    'The last price band must have no maximum, or devices at $2,000.00 and above have no rate.',
  ],
  [
    'a band that ends below its start',
    'production_license',
    (t) => {
      bands(t)[0]!.maxAsp = '0'
    },
    'perDeviceRoyalty.bands.0.maxAsp',
    'Band “Entry” must end above where it starts ($0.00).',
  ],
  [
    'a gap between tiers',
    'production_license',
    (t) => {
      bands(t)[0]!.tiers[1]!.fromUnits = 1_200_000
    },
    'perDeviceRoyalty.bands.0.tiers.1.fromUnits',
    'Tier 2 of band “Entry” starts at 1200000 units but tier 1 ends at 1000000: units in between have no rate.',
  ],
  [
    'tiers out of order',
    'production_license',
    (t) => {
      bands(t)[1]!.tiers[1]!.fromUnits = 100
    },
    'perDeviceRoyalty.bands.1.tiers.1.fromUnits',
    'Tier 2 of band “Mainstream” starts at 100 units, inside tier 1 (which ends at 500000): tiers must ascend ' +
      'without overlap.',
  ],
  [
    'a first tier above zero',
    'production_license',
    (t) => {
      bands(t)[2]!.tiers[0]!.fromUnits = 10
    },
    'perDeviceRoyalty.bands.2.tiers.0.fromUnits',
    'The first tier of band “Premium” must start at unit 0.',
  ],
  [
    'a bounded last tier',
    'production_license',
    (t) => {
      bands(t)[2]!.tiers[0]!.toUnits = 1000
    },
    'perDeviceRoyalty.bands.2.tiers.0.toUnits',
    'The last tier of band “Premium” must have no upper limit, or units beyond 1000 have no rate.',
  ],
  [
    'a negative rate',
    'production_license',
    (t) => {
      bands(t)[0]!.tiers[0]!.rate = '-0.10'
    },
    'perDeviceRoyalty.bands.0.tiers.0.rate',
    'A rate cannot be negative.',
  ],
  [
    'a rate with seven decimals',
    'production_license',
    (t) => {
      bands(t)[0]!.tiers[0]!.rate = '0.1234567'
    },
    'perDeviceRoyalty.bands.0.tiers.0.rate',
    '“0.1234567” has more than 6 decimal places; rates have at most 6 decimal places.',
  ],
  [
    'fractional cents',
    'production_license',
    (t) => {
      t.baseFee!.amount = '100.005'
    },
    'baseFee.amount',
    '“100.005” has more than 2 decimal places; USD amounts have 2 decimal places.',
  ],
  [
    'a revenue share over 100%',
    'production_license',
    (t) => {
      t.revenueShare = { percent: '120' }
    },
    'revenueShare.percent',
    'A revenue share is between 0.01% and 100%.',
  ],
  [
    'a zero revenue share',
    'production_license',
    (t) => {
      t.revenueShare = { percent: '0' }
    },
    'revenueShare.percent',
    'A revenue share is between 0.01% and 100%.',
  ],
  [
    'a term that ends before it starts',
    'production_license',
    (t) => {
      t.term.end = '2026-12-31'
    },
    'term.end',
    'The term must end after it starts (2027-01-01).',
  ],
  [
    'a cap below the guarantee',
    'production_license',
    (t) => {
      t.cap = { amount: '900000' }
    },
    'cap.amount',
    'The cap ($900,000.00 per contract year) is below the minimum guarantee ($1,000,000.00 per year): the ' +
      'partner could never earn the guarantee.',
  ],
  [
    'a guarantee without royalties',
    'production_license',
    (t) => {
      delete t.perDeviceRoyalty
    },
    'minimumGuarantee',
    'A minimum guarantee guarantees royalties: add a per-device royalty or a revenue share, or remove the guarantee.',
  ],
  [
    'an MoU with prices',
    'mou',
    () => {},
    'baseFee',
    'A memorandum of understanding is non-binding and charges nothing: remove the base license fee.',
  ],
  [
    'a pilot without its fee',
    'paid_pilot',
    (t) => {
      for (const k of ['perDeviceRoyalty', 'baseFee', 'minimumGuarantee'] as const) delete t[k]
    },
    'pilotFee',
    'A paid pilot needs its pilot fee.',
  ],
  [
    'a production license charging nothing',
    'production_license',
    (t) => {
      for (const k of ['perDeviceRoyalty', 'baseFee', 'minimumGuarantee'] as const) delete t[k]
    },
    'perDeviceRoyalty',
    'A production license charges something: add a per-device royalty, a base license fee or a revenue share.',
  ],
  [
    'an unknown currency',
    'production_license',
    (t) => {
      ;(t as { currency: string }).currency = 'XYZ'
    },
    'currency',
    'Choose a currency: USD, EUR, GBP, JPY, CNY, KRW, TWD, INR, CHF.',
  ],
  [
    'a missing territory',
    'production_license',
    (t) => {
      t.territory = []
    },
    'territory',
    'List at least one territory.',
  ],
  [
    'a malformed date',
    'production_license',
    (t) => {
      t.term.start = '01/02/2027'
    },
    'term.start',
    'Use a date like 2027-01-31.',
  ],
  [
    'two bands with one name',
    'production_license',
    (t) => {
      bands(t)[1]!.name = 'entry'
    },
    'perDeviceRoyalty.bands.1.name',
    'Two price bands are called “entry”.',
  ],
]

describe('contract term validation', () => {
  it('accepts a standard hybrid license and returns canonical numbers', () => {
    const input = hybridTerms()
    bands(input)[0]!.tiers[0]!.rate = '0.3'
    input.baseFee!.amount = '120,000'
    const result = validateContractTerms('production_license', input)
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.terms.perDeviceRoyalty!.bands[0]!.tiers[0]!.rate).toBe('0.30')
    expect(result.terms.baseFee!.amount).toBe('120000.00')
  })

  it.each(invalid)('refuses %s', (_, kind, mutate, path, message) => {
    const t = structuredClone(hybridTerms())
    mutate(t)
    const result = validateContractTerms(kind, t)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.issues).toContainEqual({ path, message })
  })
})
