import type { ContractTerms } from './contract-terms.ts'

/** A standard hybrid license (base fee + per-device royalty + minimum guarantee): demo data and tests. */
export function hybridTerms(overrides: Partial<ContractTerms> = {}): ContractTerms {
  return {
    currency: 'USD',
    tier: 'Tier 1',
    territory: ['Worldwide'],
    products: ['GGML runtime', 'llama.cpp inference engine'],
    deviceClasses: ['smartphone', 'laptop', 'edge gateway'],
    term: { start: '2027-01-01', end: '2029-12-31', renewal: { kind: 'automatic', periodMonths: 12, noticeDays: 90 } },
    perDeviceRoyalty: {
      tiering: 'graduated',
      bands: [
        {
          name: 'Entry',
          minAsp: '0.00',
          maxAsp: '100.00',
          tiers: [
            { fromUnits: 0, toUnits: 1_000_000, rate: '0.30' },
            { fromUnits: 1_000_000, toUnits: null, rate: '0.25' },
          ],
        },
        {
          name: 'Mainstream',
          minAsp: '100.00',
          maxAsp: '500.00',
          tiers: [
            { fromUnits: 0, toUnits: 500_000, rate: '0.60' },
            { fromUnits: 500_000, toUnits: null, rate: '0.50' },
          ],
        },
        { name: 'Premium', minAsp: '500.00', maxAsp: null, tiers: [{ fromUnits: 0, toUnits: null, rate: '1.20' }] },
      ],
    },
    baseFee: { amount: '120000.00', period: 'year' },
    minimumGuarantee: { amount: '250000.00', period: 'quarter', carryForwardExcess: false },
    ...overrides,
  }
}
