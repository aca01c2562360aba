import { travelTo } from '../../services/platform/clock.ts'
import { describe, expect, it } from 'vitest'
import { draftContract } from '../../services/contracts/draft-contract.ts'
import { runContractsDaily } from '../../services/contracts/contracts-daily.ts'
import { hybridTerms } from '../../services/rating/sample-terms.ts'
import { db } from '../../services/platform/db/client.ts'
import { contractCast, scopeFor } from '../support/contracts.ts'

/** A signed contract without going through DocuSign: the daily job only reads signed versions. */
async function signedContract(terms: ReturnType<typeof hybridTerms>) {
  const c = await contractCast()
  const scope = await scopeFor(c.manager.id, c.partner.id, 'contracts.draft')
  const { contract, version } = await draftContract(scope, {
    title: 'Reminder test license',
    kind: 'production_license',
    terms,
  })
  await db().contractVersion.update({
    where: { id: version.id },
    data: { state: 'signed', signedAt: new Date('2027-01-01') },
  })
  await db().contract.update({ where: { id: contract.id }, data: { status: 'signed' } })
  return { ...c, contract }
}

const mailTo = (email: string) =>
  db().mailMessage.findMany({ where: { to: email }, orderBy: { createdAt: 'asc' }, select: { subject: true } })

describe('the daily contract job, told as a calendar', () => {
  it('activates on the start date, reminds before expiry once per threshold, and expires after the end', async () => {
    const t = hybridTerms({
      term: { start: '2027-01-01', end: '2027-12-31', renewal: { kind: 'by_agreement', noticeDays: 60 } },
    })
    const c = await signedContract(t)
    const status = async () => (await db().contract.findUniqueOrThrow({ where: { id: c.contract.id } })).status

    travelTo('2026-12-31T06:00:00Z')

    await runContractsDaily()
    expect(await status()).toBe('signed')
    travelTo('2027-01-01T06:00:00Z')
    await runContractsDaily()
    expect(await status()).toBe('active')

    // Oct 2: 90 days before Dec 31 → the 90-day reminder, and the 30-day notice reminder (deadline Nov 1).
    travelTo('2027-10-02T06:00:00Z')
    await runContractsDaily()
    travelTo('2027-10-03T06:00:00Z')
    await runContractsDaily() // same thresholds: nothing new
    // Dec 1: 30 days left. Dec 24: 7 days left. The job was down Dec 2–23: nothing is sent twice or skipped.
    travelTo('2027-12-01T06:00:00Z')
    await runContractsDaily()
    travelTo('2027-12-24T06:00:00Z')
    await runContractsDaily()
    const subjects = (await mailTo(c.partnerAdmin.email)).map((m) => m.subject)
    const n = (s: string) => subjects.filter((x) => x.includes(s)).length
    expect(n('ends on 2027-12-31')).toBe(3)
    expect(n('renewal notice due by 2027-11-01')).toBe(1)
    // Every partner manager hears of every contract: count only this one's (other tests' contracts share the database).
    const managerMail = await db().mailMessage.count({
      where: { to: c.manager.email, text: { contains: c.contract.id } },
    })
    expect(managerMail).toBe(subjects.length)

    travelTo('2028-01-01T06:00:00Z')

    await runContractsDaily()
    expect(await status()).toBe('expired')
    const events = await db().contractEvent.findMany({ where: { contractId: c.contract.id }, select: { type: true } })
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['activated', 'expired']))
  })

  it('rolls an automatic renewal forward instead of expiring, and reminds before the notice deadline', async () => {
    const t = hybridTerms({
      term: {
        start: '2027-01-01',
        end: '2027-12-31',
        renewal: { kind: 'automatic', periodMonths: 12, noticeDays: 90 },
      },
    })
    const c = await signedContract(t)
    travelTo('2027-09-25T06:00:00Z')
    await runContractsDaily() // notice deadline Oct 2: 7 days
    expect((await mailTo(c.partnerAdmin.email)).map((m) => m.subject)).toEqual([
      expect.stringContaining('renewal notice due by 2027-10-02'),
    ])
    travelTo('2028-03-01T06:00:00Z')
    await runContractsDaily()
    expect((await db().contract.findUniqueOrThrow({ where: { id: c.contract.id } })).status).toBe('active')
  })
})
