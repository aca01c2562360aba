import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { recordAuditEvent } from '../../services/platform/audit/record-audit-event.ts'
import { db } from '../../services/platform/db/client.ts'
import { newId } from '../../services/platform/db/ids.ts'
import { startAppServer } from '../support/app-server.ts'
import { createOrganization, createUser, ggmlOrganization, unique } from '../support/fixtures.ts'
import { HttpClient } from '../support/http-client.ts'

// Issue 29: long lists are paged, searchable, and keep their filters in the URL.
let server: Awaited<ReturnType<typeof startAppServer>>
let admin: HttpClient
beforeAll(async () => {
  server = await startAppServer()
  const user = await createUser((await ggmlOrganization()).id, 'ggml_admin')
  admin = new HttpClient(server.url)
  await admin.signIn(user.email, user.password)
})
afterAll(() => server.close())

const text = async (res: Response) => (await res.text()).replaceAll('<!-- -->', '')
/** The rows the table shows (the page's data for hydration repeats them further down). */
const rowsOf = (html: string, marker: string) =>
  [...html.slice(html.indexOf('<tbody>'), html.indexOf('</tbody>')).matchAll(new RegExp(`${marker}-(\\d+)`, 'g'))].map(
    (m) => m[1],
  )

describe('the audit log', () => {
  it('shows 50 events a page, and page 2 the next ones, with the filter kept in the links', async () => {
    const action = unique('paging.test').replace('-', '_')
    const marker = unique('row')
    for (let i = 1; i <= 60; i++)
      await db().$transaction((tx) =>
        recordAuditEvent(tx, {
          actor: null,
          organizationId: null,
          action,
          targetType: 'paging',
          changes: { row: `${marker}-${i}` },
        }),
      )
    const first = await text(await admin.get(`/admin/audit?action=${action}`))
    expect(first).toContain('Showing 1–50 of 60 events')
    // Newest first: 60 down to 11.
    expect(rowsOf(first, marker)).toEqual(Array.from({ length: 50 }, (_, i) => String(60 - i)))
    expect(first).toContain(`href="/admin/audit?action=${action}&amp;page=2"`)

    const second = await text(await admin.get(`/admin/audit?action=${action}&page=2`))
    expect(second).toContain('Showing 51–60 of 60 events')
    expect(rowsOf(second, marker)).toEqual(['10', '9', '8', '7', '6', '5', '4', '3', '2', '1'])
    expect(second).toContain(`href="/admin/audit?action=${action}"`)
    expect(second).not.toContain('rel="next"')
  })

  it('reads a bad page number as the first page, and a page past the end as empty, not an error', async () => {
    const action = unique('paging.odd').replace('-', '_')
    await db().$transaction((tx) =>
      recordAuditEvent(tx, { actor: null, organizationId: null, action, targetType: 'paging' }),
    )
    for (const page of ['abc', '-3', '0', '1e99'])
      expect(await text(await admin.get(`/admin/audit?action=${action}&page=${page}`))).toContain(
        'Showing 1–1 of 1 events',
      )
    const past = await admin.get(`/admin/audit?action=${action}&page=7`)
    expect(past.status).toBe(200)
    expect(await text(past)).toContain('Page 7 is past the end: 1 events in all')
  })
})

describe('the staff partner list', () => {
  it('finds a partner by name, and lists partners apart from and before contributor accounts', async () => {
    const word = unique('Kestrelish').toLowerCase()
    const contributor = await createOrganization('contributor', `${word} contributor`)
    const partner = await createOrganization('oem_partner', `${word} partner`)
    await createOrganization('oem_partner', unique('Unrelated Partner'))
    const found = await text(await admin.get(`/portal?q=${encodeURIComponent(word.toUpperCase())}`))
    expect(found).toContain('Showing 1–2 of 2 organizations')
    const partnerAt = found.indexOf(`/portal/${partner.slug}"`)
    const contributorAt = found.indexOf(`/portal/${contributor.slug}"`)
    expect(partnerAt).toBeGreaterThan(0)
    expect(contributorAt).toBeGreaterThan(partnerAt)
    const headings = ['Partners and customers', 'Contributor accounts'].map((h) => found.indexOf(`>${h}</th>`))
    expect(headings[0]).toBeGreaterThan(0)
    expect(headings[0]).toBeLessThan(partnerAt)
    expect(headings[1]).toBeGreaterThan(partnerAt)
    expect(headings[1]).toBeLessThan(contributorAt)
    expect(found).not.toContain('Unrelated Partner')

    const partnersOnly = await text(await admin.get(`/portal?q=${word}&group=partners`))
    expect(partnersOnly).toContain('Showing 1–1 of 1 organizations')
    expect(partnersOnly).not.toContain(`/portal/${contributor.slug}"`)
  })

  it('is for staff: a partner member is sent to their own portal, whatever the search', async () => {
    const org = await createOrganization()
    const member = await createUser(org.id, 'partner_admin')
    const http = new HttpClient(server.url)
    await http.signIn(member.email, member.password)
    const res = await http.get('/portal?q=a&group=contributors')
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe(`/portal/${org.slug}`)
  })
})

describe('the outgoing mail', () => {
  it('finds mail to one address among the rest, 50 a page', async () => {
    const to = `${unique('mailpage')}@example.test`
    await db().mailMessage.createMany({
      data: Array.from({ length: 51 }, (_, i) => ({
        id: newId(),
        idempotencyKey: unique('paging-mail'),
        to,
        subject: `Paging ${i + 1}`,
        text: '',
        html: '',
        transport: 'local' as const,
        createdAt: new Date(Date.UTC(2026, 0, 1, 0, i)),
      })),
    })
    const first = await text(await admin.get(`/admin/mail?to=${encodeURIComponent(to.toUpperCase())}`))
    expect(first).toContain('Showing 1–50 of 51 messages')
    expect(first).toContain('>Paging 51</a>')
    const second = await text(await admin.get(`/admin/mail?to=${encodeURIComponent(to)}&page=2`))
    expect(second).toContain('Showing 51–51 of 51 messages')
    expect(second).toContain('>Paging 1</a>')
  })
})

describe('what a person types into a list’s URL (issue 29, attacker review)', () => {
  it('answers a search with a NUL and a date outside the books with a page, never a 500', async () => {
    for (const path of ['/portal?q=%00', '/portal?q=a%00b', '/rewards/program?q=%00', '/certified?q=%00'])
      expect((await admin.get(path)).status, path).toBe(200)
    const asOf = await admin.get('/finance?asOf=0000-01-01')
    expect(asOf.status).toBe(200)
    expect(await text(asOf)).toContain('“0000-01-01” is not a date')
    const finance = new HttpClient(server.url)
    const person = await createUser((await ggmlOrganization()).id, 'finance')
    await finance.signIn(person.email, person.password)
    const close = await finance.get('/finance?tab=close&month=9999-12')
    expect(close.status).toBe(200)
    expect(await text(close)).toContain('Use a month like 2027-03.')
    const csv = await finance.get('/finance/export/balances.csv?asOf=0000-01-01')
    expect([csv.status, await csv.text()]).toEqual([400, 'Use a date between 1970-01-01 and 2999-12-31.'])
  })
})
