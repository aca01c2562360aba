import { describe, expect, it } from 'vitest'
import { orderPartnerBalances } from './order-partner-balances.ts'

const row = (partner: string, owed: bigint, other = 0n) => ({
  partner,
  kind: partner.startsWith('Contributor') ? 'contributor' : 'oem_partner',
  currency: 'USD',
  owed,
  balances: [owed, other],
})

describe('partner balances', () => {
  const rows = [
    row('Contributor 11', 0n),
    row('Acme', 500n),
    row('Contributor 2', 0n),
    row('Zeta', 90_000n),
    row('Contributor 1', 0n),
    row('Beta', 0n, -300n),
    row('Gamma', 0n),
  ]

  it('puts whoever owes the most first and hides rows with every balance at zero', () => {
    expect(orderPartnerBalances(rows).map((r) => r.partner)).toEqual(['Zeta', 'Acme', 'Beta'])
  })

  it('shows every row when asked, partners first, equal amounts in natural name order (2 before 11)', () => {
    expect(orderPartnerBalances(rows, { all: true }).map((r) => r.partner)).toEqual([
      'Zeta',
      'Acme',
      'Beta',
      'Gamma',
      'Contributor 1',
      'Contributor 2',
      'Contributor 11',
    ])
  })

  it('lists a contributor owing something after every partner, even one owing nothing', () => {
    const owing = row('Contributor 7', 1_000n)
    expect(orderPartnerBalances([owing, row('Acme', 0n, 5n)]).map((r) => r.partner)).toEqual(['Acme', 'Contributor 7'])
  })
})
