import { systemScope } from '../../services/tenancy/tenant-guard.ts'
import { travelTo } from '../../services/platform/clock.ts'
import { describe, expect, it } from 'vitest'
import { hybridTerms } from '../../services/rating/sample-terms.ts'
import { db } from '../../services/platform/db/client.ts'
import { closePeriod } from '../../services/royalties/close-period.ts'
import { recordPayment } from '../../services/ledger/record-payment.ts'
import { actorFor } from '../support/contracts.ts'
import { createUser, ggmlOrganization } from '../support/fixtures.ts'
import { receivable, report, row, signedContractFor } from '../support/royalties.ts'

describe('closing a period', () => {
  it('settles the guarantee for months nobody reported, then lets a late report replace the placeholder', async () => {
    // A guarantee of $100,000 per quarter; no base fee. A year later than other tests, so closes do not collide.
    const c = await signedContractFor(
      hybridTerms({
        baseFee: undefined,
        minimumGuarantee: { amount: '100000.00', period: 'quarter', carryForwardExcess: false },
        term: { start: '2031-01-01', end: '2033-12-31', renewal: { kind: 'none' } },
      }),
    )
    // January: Premium 10,000 × $1.20 = $12,000, filed once January has ended. February and March are never reported.
    travelTo('2031-02-03T09:00:00Z')
    await report(c.partnerScope, c.contract.id, '2031-01', [row('Premium', 10_000)])
    const finance = await actorFor((await createUser((await ggmlOrganization()).id, 'finance')).id)
    travelTo('2031-03-20T00:00:00Z')
    await expect(closePeriod(finance, '2031-03')).rejects.toThrow('2031-03 has not ended yet')
    travelTo('2031-04-02T00:00:00Z')
    const closed = await closePeriod(finance, '2031-03')
    expect(closed.unsettled).toEqual([])
    // February and March were settled with zero reports (other contracts of this database may be too).
    expect(await db().royaltyReport.count({ where: { contractId: c.contract.id, source: 'period_close' } })).toBe(2)
    // Closing March settled Q1: $100,000 − $12,000 = $88,000 shortfall.
    expect(await receivable(c.partner.id)).toBe(10_000_000n)
    travelTo('2031-04-02T00:00:00Z')
    await expect(closePeriod(finance, '2031-03')).rejects.toThrow('already closed')

    // February's report arrives late: Premium 20,000 × $1.20 = $24,000; the shortfall falls to $64,000.
    await report(c.partnerScope, c.contract.id, '2031-02', [row('Premium', 20_000)])
    expect(await receivable(c.partner.id)).toBe(10_000_000n)
    const current = await db().royaltyReport.findMany({
      where: { contractId: c.contract.id, status: 'current' },
      orderBy: { periodStart: 'asc' },
    })
    expect(current.map((r) => [r.periodStart.toISOString().slice(0, 7), r.source])).toEqual([
      ['2031-01', 'api'],
      ['2031-02', 'api'],
      ['2031-03', 'period_close'],
    ])
    const march = await db().royaltyCharge.findMany({ where: { journalEntryId: current[2]!.journalEntryId! } })
    expect(march.map((ch) => [ch.kind, ch.amountMinor])).toEqual([['minimum_guarantee_shortfall', 6_400_000n]])

    // Nothing may be dated inside the closed month.
    await expect(
      recordPayment(await systemScope(c.partner.id), {
        reference: 'late-wire',
        currency: 'USD',
        amountMinor: 100n,
        receivedOn: '2031-03-15',
      }),
    ).rejects.toThrow('The books for 2031-03 are closed')
  })

  it('bills a base fee on schedule when the partner files nothing; a late report never bills it again', async () => {
    // Issue 30's worked example: $120,000 a year, no guarantee, no reports. By hand: each month closed bills
    // $120,000 × 1/12 = $10,000.00; six closed months, $60,000.00. 2032, so no other test's close collides.
    const c = await signedContractFor(
      hybridTerms({
        minimumGuarantee: undefined,
        baseFee: { amount: '120000.00', period: 'year' },
        term: { start: '2032-01-01', end: '2034-12-31', renewal: { kind: 'none' } },
      }),
    )
    const finance = await actorFor((await createUser((await ggmlOrganization()).id, 'finance')).id)
    travelTo('2032-07-02T00:00:00Z')
    for (const month of ['2032-01', '2032-02', '2032-03', '2032-04', '2032-05', '2032-06'])
      expect((await closePeriod(finance, month)).unsettled).toEqual([])
    expect(await receivable(c.partner.id)).toBe(6_000_000n)
    const charges = await db().royaltyCharge.findMany({
      where: { report: { contractId: c.contract.id, status: 'current' } },
    })
    expect(charges.map((ch) => [ch.kind, ch.amountMinor])).toEqual(
      Array.from({ length: 6 }, () => ['base_fee', 1_000_000n]),
    )
    // May's report arrives late: Premium 1,000 × $1.20 = $1,200.00 is all it adds; the fee was billed at close.
    await report(c.partnerScope, c.contract.id, '2032-05', [row('Premium', 1_000)])
    expect(await receivable(c.partner.id)).toBe(6_000_000n + 120_000n)
  })
})
