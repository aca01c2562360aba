import { spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { hybridTerms } from '../../services/rating/sample-terms.ts'
import { db } from '../../services/platform/db/client.ts'
import { trialBalance } from '../../services/ledger/balances.ts'
import { crashPoints } from '../../services/platform/config/crash-points.ts'
import { linesOfContract, receivable, signedContractFor } from '../support/royalties.ts'
import { AFTER_THE_DATA } from '../support/time.ts'
import { resetClock, travelTo } from '../../services/platform/clock.ts'
import { discardStaleUploads } from '../../services/royalties/discard-stale-uploads.ts'

function run(
  args: string[],
  crashAt?: string,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/support/post-report-child.ts', ...args], {
      env: { ...process.env, LOG_LEVEL: 'silent', ...(crashAt ? { CRASH_AT: crashAt } : {}) },
    })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.on('exit', (code, signal) => resolve({ code, signal, out }))
  })
}

describe('a posting killed inside its transaction', () => {
  it('leaves nothing half-posted at any of its crash points, and the run after it posts exactly once', async () => {
    const c = await signedContractFor(
      hybridTerms({ term: { start: '2027-01-01', end: '2029-12-31', renewal: { kind: 'none' } } }),
    )
    const args = [c.partnerAdmin.id, c.partner.id, c.contract.id, '2027-Q1', '30000', AFTER_THE_DATA]
    const postingPoints = crashPoints.filter((p) => p.startsWith('posting:'))
    expect(postingPoints).toHaveLength(4)
    for (const point of postingPoints) {
      const r = await run(args, point)
      // The child said where it was when it died: inside the posting, at that point.
      expect(r.signal).toBe('SIGKILL')
      expect(r.out).toContain(`crash point ${point}`)
      // Its transaction never committed: no report, no line, no posting, no rating.
      expect(await db().royaltyReport.count({ where: { contractId: c.contract.id } })).toBe(0)
      // Its lines wait in an upload nothing posted, which the daily clean-up discards.
      expect(
        await db().royaltyReportLine.count({
          where: {
            uploadId: {
              in: (
                await db().reportUpload.findMany({ where: { organizationId: c.partner.id, postedAt: { not: null } } })
              ).map((u) => u.id),
            },
          },
        }),
      ).toBe(0)
      expect(await db().journalEntry.count({ where: { organizationId: c.partner.id } })).toBe(0)
      expect(await db().royaltyCharge.count({ where: { organizationId: c.partner.id } })).toBe(0)
    }
    // The clean-up discards the killed postings' uploads once they are a day old.
    travelTo(new Date(Date.parse(AFTER_THE_DATA) + 25 * 3_600_000))
    expect(await discardStaleUploads({ organizationId: c.partner.id })).toBe(postingPoints.length)
    resetClock()
    expect(await db().reportUpload.count({ where: { organizationId: c.partner.id } })).toBe(0)
    const final = await run(args)
    expect(final.code).toBe(0)
    expect(await db().royaltyReport.count({ where: { contractId: c.contract.id } })).toBe(1)
    expect(await db().royaltyReportLine.count({ where: await linesOfContract(c.contract.id) })).toBe(30_000)
    // Sent again, the same content posts nothing more.
    expect(JSON.parse((await run(args)).out)).toMatchObject({ duplicate: true })
    // Units: Entry lines 0,3,6… (10,000 lines), Mainstream and Premium likewise; 1 + (i mod 7) units each.
    const lines = await db().royaltyReportLine.groupBy({
      by: ['priceBand'],
      where: await linesOfContract(c.contract.id),
      _sum: { units: true },
    })
    const units = Object.fromEntries(lines.map((l) => [l.priceBand, l._sum.units]))
    const expected = { Entry: 0, Mainstream: 0, Premium: 0 } as Record<string, number>
    for (let i = 0; i < 30_000; i++) expected[['Entry', 'Mainstream', 'Premium'][i % 3]!]! += 1 + (i % 7)
    expect(units).toEqual(expected)
    // Entry $0.30, Mainstream $0.60, Premium $1.20 per unit (all within tier 1); base $30,000; guarantee $250,000.
    const royalties = BigInt(expected.Entry! * 30 + expected.Mainstream! * 60 + expected.Premium! * 120)
    const shortfall = royalties < 25_000_000n ? 25_000_000n - royalties : 0n
    expect(await receivable(c.partner.id)).toBe(royalties + shortfall + 3_000_000n)
    for (const t of await trialBalance(db())) expect(t.debitsMinor).toBe(t.creditsMinor)
  }, 120_000)
})
