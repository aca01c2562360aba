import { describe, expect, it } from 'vitest'
import { db } from '../../services/platform/db/client.ts'
import { hybridTerms } from '../../services/rating/sample-terms.ts'
import { accountBalances, trialBalance } from '../../services/ledger/balances.ts'
import { receivable, report, row, signedContractFor } from '../support/royalties.ts'
import { livingAt } from '../support/time.ts'

// The reports these tests file are of 2027 and 2028: the platform lives after them.
livingAt()

const terms2027 = (over = {}) =>
  hybridTerms({ term: { start: '2027-01-01', end: '2029-12-31', renewal: { kind: 'none' } }, ...over })

describe('royalty reports into the ledger, told as a calendar', () => {
  it('posts Q1, then a Q2 whose tiers continue the year, then restates Q1 and re-rates Q2', async () => {
    const c = await signedContractFor(terms2027())
    // Apr 2027: Q1 arrives. Entry 900,000 × $0.30 = $270,000; base fee $30,000; guarantee $250,000 met. Invoice
    // $300,000.
    await report(c.partnerScope, c.contract.id, '2027-Q1', [row('Entry', 900_000)])
    expect(await receivable(c.partner.id)).toBe(30_000_000n)
    // Jul 2027: Q2. Entry 300,000: units 900,001–1,000,000 at $0.30 = $30,000 + 200,000 at $0.25 = $50,000 → $80,000.
    // Guarantee $250,000 − $80,000 = $170,000 shortfall; base fee $30,000. Invoice $280,000. Receivable $580,000.
    await report(c.partnerScope, c.contract.id, '2027-Q2', [row('Entry', 300_000)])
    expect(await receivable(c.partner.id)).toBe(58_000_000n)
    // Aug 2027: Q1 restated to 1,000,000 units: $300,000 + $30,000 base = $330,000 (+$30,000).
    // Q2 now starts at unit 1,000,001: 300,000 × $0.25 = $75,000; shortfall $175,000; base $30,000 = $280,000
    // (unchanged total, new split).
    const restated = await report(c.partnerScope, c.contract.id, '2027-Q1', [row('Entry', 1_000_000)], {
      restatement: true,
    })
    expect(restated.revision).toBe(2)
    expect(await receivable(c.partner.id)).toBe(61_000_000n)

    const reports = await db().royaltyReport.findMany({
      where: { contractId: c.contract.id },
      orderBy: [{ periodStart: 'asc' }, { revision: 'asc' }],
      include: { charges: { orderBy: { position: 'asc' } } },
    })
    expect(reports.map((r) => [r.periodStart.toISOString().slice(0, 7), r.revision, r.status])).toEqual([
      ['2027-01', 1, 'superseded'],
      ['2027-01', 2, 'current'],
      ['2027-04', 1, 'current'],
    ])
    const q2 = reports[2]!
    const q2Current = q2.charges.filter((ch) => ch.journalEntryId === q2.journalEntryId)
    expect(q2Current.map((ch) => [ch.kind, ch.amountMinor])).toEqual([
      ['royalty', 7_500_000n],
      ['tier_crossing', 0n],
      ['base_fee', 3_000_000n],
      ['minimum_guarantee_shortfall', 17_500_000n],
    ])
    expect(q2Current[0]!.trace).toContain('Tier 2 (year units 1,000,001–1,300,000): 300,000 × $0.25 = $75,000.00')

    // Every entry balances and nothing was edited: corrections are reversals.
    const entries = await db().journalEntry.findMany({
      where: { organizationId: c.partner.id },
      include: { lines: true },
    })
    for (const e of entries) expect(e.lines.reduce((s, l) => s + l.debitMinor - l.creditMinor, 0n)).toBe(0n)
    expect(
      entries
        .filter((e) => e.kind === 'reversal')
        .map((e) => e.periodTag)
        .sort(),
    ).toEqual(['2027-Q1', '2027-Q2'])
    for (const t of await trialBalance(db())) expect(t.debitsMinor).toBe(t.creditsMinor)
    const revenue = (await accountBalances(db(), c.partner.id))
      .filter((b) => b.type.endsWith('_revenue'))
      .reduce((s, b) => s + b.balanceMinor, 0n)
    expect(revenue).toBe(-61_000_000n)
  })

  it('posts the same report once however often it is sent, and refuses a silent change', async () => {
    const c = await signedContractFor(terms2027())
    const first = await report(c.partnerScope, c.contract.id, '2027-Q1', [row('Premium', 1000)], {
      idempotencyKey: 'q1-upload',
    })
    const again = await report(c.partnerScope, c.contract.id, '2027-Q1', [row('Premium', 1000)])
    expect(again).toEqual({ ...first, duplicate: true })
    await expect(report(c.partnerScope, c.contract.id, '2027-Q1', [row('Premium', 2000)])).rejects.toThrow(
      '2027-Q1 is already reported',
    )
    await expect(
      report(c.partnerScope, c.contract.id, '2027-Q1', [row('Premium', 2000)], {
        idempotencyKey: 'q1-upload',
        restatement: true,
      }),
    ).rejects.toThrow('already used for a different report')
    expect(await db().journalEntry.count({ where: { organizationId: c.partner.id } })).toBe(1)
  })

  it('posts 50 concurrent submissions of the same report exactly once', async () => {
    const c = await signedContractFor(terms2027())
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        report(c.partnerScope, c.contract.id, '2027-Q1', [row('Mainstream', 10_000), row('Premium', 500)], {
          idempotencyKey: 'same-key',
        }),
      ),
    )
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1)
    expect(new Set(results.map((r) => r.reportId)).size).toBe(1)
    expect(await db().royaltyReport.count({ where: { contractId: c.contract.id } })).toBe(1)
    expect(await db().journalEntry.count({ where: { organizationId: c.partner.id } })).toBe(1)
    // Mainstream 10,000 × $0.60 = $6,000 + Premium 500 × $1.20 = $600; shortfall $243,400; base $30,000 → $280,000.
    expect(await receivable(c.partner.id)).toBe(28_000_000n)
  })

  it('recoups a prepaid advance before invoicing royalties', async () => {
    const c = await signedContractFor(
      terms2027({ baseFee: undefined, minimumGuarantee: undefined, prepaidAdvance: { amount: '100000.00' } }),
    )
    // Advance $100,000 invoiced with the first report. Q1: Premium 50,000 × $1.20 = $60,000, all recouped.
    await report(c.partnerScope, c.contract.id, '2027-Q1', [row('Premium', 50_000)])
    // Q2: 50,000 more = $60,000: $40,000 recouped (advance exhausted), $20,000 invoiced.
    await report(c.partnerScope, c.contract.id, '2027-Q2', [row('Premium', 50_000)])
    const b = Object.fromEntries((await accountBalances(db(), c.partner.id)).map((x) => [x.type, x.balanceMinor]))
    expect(b.royalty_receivable).toBe(12_000_000n) // $100,000 advance + $20,000
    expect(b.deferred_revenue).toBe(0n) // fully recouped
    expect(b.royalty_revenue).toBe(-12_000_000n)
  })

  it('refuses a report on a period before the contract, and one an amendment splits', async () => {
    const c = await signedContractFor(terms2027())
    await expect(report(c.partnerScope, c.contract.id, '2026-Q4', [row('Entry', 1)])).rejects.toThrow(
      'starts on 2027-01-01; 2026-Q4 is before it',
    )
    await expect(report(c.partnerScope, c.contract.id, 'Q1', [row('Entry', 1)])).rejects.toThrow(
      'Use a period like 2027-Q1 or 2027-03.',
    )
  })

  it('keeps the books immutable at the database', async () => {
    const c = await signedContractFor(terms2027())
    await report(c.partnerScope, c.contract.id, '2027-Q1', [row('Entry', 10)])
    const line = await db().journalLine.findFirstOrThrow({ where: { organizationId: c.partner.id } })
    await expect(db().journalLine.update({ where: { id: line.id }, data: { memo: 'edited' } })).rejects.toThrow(
      /append-only/,
    )
    await expect(db().journalLine.delete({ where: { id: line.id } })).rejects.toThrow(/append-only/)
    // A one-sided entry written behind the code's back is refused when its transaction commits.
    await expect(
      db().$transaction([
        db().$executeRawUnsafe(
          `INSERT INTO "JournalEntry" (id, "organizationId", currency, "idempotencyKey", kind, description, ` +
            `"effectiveDate") VALUES ` +
            `('unbalanced-${line.id}', '${c.partner.id}', 'USD', 'unbalanced-${line.id}', 'adjustment', ` +
            `'x', '2027-01-01')`,
        ),
        db().$executeRawUnsafe(
          `INSERT INTO "JournalLine" (id, "entryId", "organizationId", "accountId", "debitMinor", memo) ` +
            `VALUES ('l-${line.id}', 'unbalanced-${line.id}', '${c.partner.id}', ` +
            `'${line.accountId}', 100, 'one-sided')`,
        ),
      ]),
    ).rejects.toThrow(/does not balance/)
    expect(await db().journalEntry.count({ where: { id: `unbalanced-${line.id}` } })).toBe(0)
  })
})

describe('minimum guarantees with carry-forward', () => {
  it('credits excess royalties of one quarter against a later shortfall', async () => {
    const c = await signedContractFor(
      terms2027({
        baseFee: undefined,
        minimumGuarantee: { amount: '100000.00', period: 'quarter', carryForwardExcess: true },
      }),
    )
    // Q1: Premium 100,000 × $1.20 = $120,000 ≥ $100,000 guarantee: $20,000 excess carries forward.
    await report(c.partnerScope, c.contract.id, '2027-Q1', [row('Premium', 100_000)])
    // Q2: Premium 50,000 × $1.20 = $60,000; counted $60,000 + $20,000 carried = $80,000; shortfall $20,000.
    await report(c.partnerScope, c.contract.id, '2027-Q2', [row('Premium', 50_000)])
    const q2 = await db().royaltyReport.findFirstOrThrow({
      where: { contractId: c.contract.id, periodStart: new Date('2027-04-01') },
      include: { charges: { orderBy: { position: 'asc' } } },
    })
    expect(q2.charges.map((ch) => [ch.kind, ch.amountMinor])).toEqual([
      ['royalty', 6_000_000n],
      ['minimum_guarantee_shortfall', 2_000_000n],
    ])
    expect(q2.charges[1]!.trace as string[]).toEqual([
      'Guarantee $100,000.00 per quarter',
      'Earned $0.00 earlier + $60,000.00 now + $20,000.00 carried forward = $80,000.00',
      'Shortfall $100,000.00 − $80,000.00 = $20,000.00, invoiced at the end of the guarantee period',
    ])
    expect(await receivable(c.partner.id)).toBe(12_000_000n + 8_000_000n)
  })
})
