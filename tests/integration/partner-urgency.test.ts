import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hybridTerms } from '../../services/rating/sample-terms.ts'
import { db } from '../../services/platform/db/client.ts'
import { newId } from '../../services/platform/db/ids.ts'
import { travelTo } from '../../services/platform/clock.ts'
import { startAppServer } from '../support/app-server.ts'
import { HttpClient } from '../support/http-client.ts'
import { report, row, signedContractFor } from '../support/royalties.ts'

// Issue 29: the partner's home says how urgent money is by the same rule as the contributor's credits.
let server: Awaited<ReturnType<typeof startAppServer>>
beforeAll(async () => {
  server = await startAppServer()
})
afterAll(() => server.close())

const text = async (res: Response) => (await res.text()).replaceAll('<!-- -->', '')
const banners = (html: string) =>
  [...html.matchAll(/data-urgency="(\w+)"[^>]*>(.*?)<\/strong>/g)].map((m) => [m[1], m[2]!.replace(/<[^>]+>/g, '')])

describe('the partner home', () => {
  it('says nothing with a month to go, amber under 30 days, red under 7 and once a report is late', async () => {
    // The 2027-Q1 report falls due on 2027-04-30.
    const c = await signedContractFor(
      hybridTerms({ term: { start: '2027-01-01', end: '2029-12-31', renewal: { kind: 'none' } } }),
    )
    const home = async (at: string) => {
      travelTo(at)
      const http = new HttpClient(server.url)
      await http.signIn(c.partnerAdmin.email, c.partnerAdmin.password)
      return banners(await text(await http.get(`/portal/${c.partner.slug}`)))
    }
    expect(await home('2027-03-31T12:00:00Z')).toEqual([])
    expect(await home('2027-04-01T12:00:00Z')).toEqual([['amber', 'A royalty report is due in 29 days']])
    expect(await home('2027-04-24T12:00:00Z')).toEqual([['red', 'A royalty report is due in 6 days']])
    expect(await home('2027-05-03T12:00:00Z')).toEqual([['red', 'A royalty report is 3 days late']])
    await report(c.partnerScope, c.contract.id, '2027-Q1', [row('Premium', 1000)])
    // Filed: the next one (2027-Q2, due 2027-07-30) is far off.
    expect(await home('2027-05-03T12:00:00Z')).toEqual([])
  })

  it('shows an overdue invoice in red, with the amount overdue and the way to pay', async () => {
    const c = await signedContractFor(
      hybridTerms({ term: { start: '2027-01-01', end: '2029-12-31', renewal: { kind: 'none' } } }),
    )
    travelTo('2027-04-05T12:00:00Z')
    await report(c.partnerScope, c.contract.id, '2027-Q1', [row('Premium', 1000)])
    const entry = await db().journalEntry.findFirstOrThrow({
      where: { organizationId: c.partner.id, kind: 'report_charges' },
    })
    await db().invoice.create({
      data: {
        id: newId(),
        organizationId: c.partner.id,
        journalEntryId: entry.id,
        currency: 'USD',
        description: 'Royalties 2027-Q1',
        lines: [],
        amountDueMinor: 120_000n,
        amountRemainingMinor: 120_000n,
        status: 'open',
        dueDate: new Date('2027-05-01T00:00:00Z'),
      },
    })
    travelTo('2027-05-11T12:00:00Z')
    const http = new HttpClient(server.url)
    await http.signIn(c.partnerAdmin.email, c.partnerAdmin.password)
    const page = await text(await http.get(`/portal/${c.partner.slug}`))
    expect(banners(page)).toContainEqual(['red', '$1,200.00 overdue: the oldest invoice was due 10 days ago'])
    expect(page).toContain(`href="/portal/${c.partner.slug}/invoices?status=outstanding"`)
  })
})
