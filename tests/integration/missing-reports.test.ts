import { travelTo } from '../../services/platform/clock.ts'
import { describe, expect, it } from 'vitest'
import { hybridTerms } from '../../services/rating/sample-terms.ts'
import { db } from '../../services/platform/db/client.ts'
import { dueReports, remindMissingReports } from '../../services/royalties/missing-reports.ts'
import { report, row, signedContractFor } from '../support/royalties.ts'

describe('missing reports', () => {
  it(
    'lists quarters past due (a quarter is covered by one report or its three months) and reminds ' + 'once per step',
    async () => {
      const c = await signedContractFor(
        hybridTerms({ term: { start: '2026-01-01', end: '2028-12-31', renewal: { kind: 'none' } } }),
      )
      await report(c.partnerScope, c.contract.id, '2026-Q1', [row('Entry', 10)])
      for (const m of ['2026-04', '2026-05', '2026-06'])
        await report(c.partnerScope, c.contract.id, m, [row('Entry', 10)])
      await expect(report(c.partnerScope, c.contract.id, '2026-Q2', [row('Entry', 30)])).rejects.toThrow(
        '2026-Q2 overlaps the 2026-04 report',
      )
      await expect(report(c.partnerScope, c.contract.id, '2026-02', [row('Entry', 30)])).rejects.toThrow(
        '2026-02 overlaps the 2026-Q1 report',
      )
      const mine = (await dueReports(db(), '2026-11-26')).filter((r) => r.contractId === c.contract.id)
      expect(mine.map((r) => [r.period, r.due, r.daysLate])).toEqual([['2026-Q3', '2026-10-30', 27]])

      travelTo('2026-11-26T06:00:00Z')

      await remindMissingReports()
      travelTo('2026-11-27T06:00:00Z')
      await remindMissingReports()
      const mail = await db().mailMessage.findMany({ where: { to: c.partnerAdmin.email } })
      expect(mail.map((m) => m.subject)).toEqual(['Your 2026-Q3 royalty report is 27 days late'])

      // A zero report settles it.
      await report(c.partnerScope, c.contract.id, '2026-Q3', [])
      expect((await dueReports(db(), '2026-11-26')).filter((r) => r.contractId === c.contract.id)).toEqual([])
    },
  )
})
