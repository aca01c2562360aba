import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { db } from '../../services/db/client.ts'
import { newId } from '../../services/db/ids.ts'
import { hotp, stepAt } from '../../services/identity/totp.ts'
import { nowMs } from '../../services/platform/clock.ts'
import { startAppServer } from '../support/app-server.ts'
import { createOrganization, createUser, ggmlOrganization, TEST_PASSWORD, unique } from '../support/fixtures.ts'
import { HttpClient } from '../support/http-client.ts'
import { nextCodeFor } from '../support/second-factor.ts'

let server: Awaited<ReturnType<typeof startAppServer>>
beforeAll(async () => {
  server = await startAppServer()
})
afterAll(() => server.close())

/** Password first; returns the client parked on the second-factor step. */
async function passwordStep(email: string) {
  const c = new HttpClient(server.url)
  await c.get('/login')
  const res = await c.post('/login', { email, password: TEST_PASSWORD })
  expect(res.status).toBe(302)
  expect(res.headers.get('location')).toMatch(/^\/login\/two-factor/)
  const page = await c.get('/login/two-factor')
  return { c, page: await page.text() }
}

const submit = (c: HttpClient, body: Record<string, string>) =>
  c.post('/login/two-factor', { redirectTo: '/', ...body })
const signedIn = async (c: HttpClient) => (await c.get('/account')).status === 200

describe('two-factor sign-in', () => {
  it('makes staff enrol at their first sign-in, shows recovery codes once, then asks for a code', async () => {
    const ggml = await ggmlOrganization()
    const email = `${unique('fin')}@example.test`
    const user = await createUser(ggml.id, 'finance', email)
    await db().user.update({ where: { id: user.id }, data: { totpSecret: null, totpEnabledAt: null } })
    const { c, page } = await passwordStep(email)
    expect(page).toContain('Set up two-factor sign-in')
    // The key on the page is what the authenticator app takes.
    const key = /Key: <code>([A-Z2-7 ]+)<\/code>/.exec(page)![1]!.replaceAll(' ', '')
    const wrong = await submit(c, { code: '000000' })
    expect(wrong.status).toBe(422)
    expect(await signedIn(c)).toBe(false)
    const res = await submit(c, { code: hotp(key, stepAt(nowMs())) })
    expect([res.status, res.headers.get('location')]).toEqual([302, '/login/recovery-codes?redirectTo=%2F'])
    const shown = await c.get(res.headers.get('location')!)
    expect(shown.status).toBe(200)
    const codes = [...(await shown.text()).matchAll(/<code>([0-9a-f]{4}(?:-[0-9a-f]{4}){3})<\/code>/g)].map(
      (m) => m[1]!,
    )
    expect(codes).toHaveLength(10)
    expect(await signedIn(c)).toBe(true)
    // Shown once: the page does not show them again.
    expect((await c.get('/login/recovery-codes')).status).toBe(302)
    const u = await db().user.findUniqueOrThrow({ where: { id: user.id } })
    expect(u.totpEnabledAt).not.toBeNull()
    expect(u.totpSecret).not.toContain(key) // sealed, never stored in clear
    expect(await db().recoveryCode.count({ where: { userId: user.id } })).toBe(10)

    // Next sign-in: a code; the same code again is refused; a recovery code works once.
    const second = await passwordStep(email)
    expect(second.page).toContain('Enter the 6-digit code')
    const code = await nextCodeFor(email)
    expect((await submit(second.c, { code })).status).toBe(302)
    const third = await passwordStep(email)
    const reused = await submit(third.c, { code })
    expect(reused.status).toBe(422)
    expect(await reused.text()).toContain('That code was used already')
    expect((await submit(third.c, { recoveryCode: codes[0]!.toUpperCase() })).status).toBe(302)
    const fourth = await passwordStep(email)
    const again = await submit(fourth.c, { recoveryCode: codes[0]! })
    expect(await again.text()).toContain('wrong or was used already')
    expect(await signedIn(fourth.c)).toBe(false)
  })

  it('ends the challenge after five wrong codes', async () => {
    const ggml = await ggmlOrganization()
    const admin = await createUser(ggml.id, 'ggml_admin')
    const { c } = await passwordStep(admin.email)
    for (let i = 0; i < 5; i++) expect((await submit(c, { code: '111111' })).status).toBe(422)
    const sixth = await submit(c, { code: await nextCodeFor(admin.email) })
    // The challenge is gone: the page sends the person back to type their password.
    expect([sixth.status, sixth.headers.get('location')]).toEqual([302, '/login'])
    expect(await signedIn(c)).toBe(false)
  })

  it('lets anyone turn it on from their account, and an organization admin require it of members', async () => {
    const org = await createOrganization('enterprise', unique('Careful Corp'))
    const admin = await createUser(org.id, 'partner_admin')
    const c = new HttpClient(server.url)
    await c.signIn(admin.email, admin.password)
    expect(await (await c.get('/account')).text()).toContain('Turn on two-factor sign-in')
    const start = await c.post('/account', { intent: 'two-factor' })
    expect(start.headers.get('location')).toBe('/login/two-factor?redirectTo=%2Faccount')
    const page = await (await c.get(start.headers.get('location')!)).text()
    const key = /Key: <code>([A-Z2-7 ]+)<\/code>/.exec(page)![1]!.replaceAll(' ', '')
    // The page carries redirectTo=/account from its URL, as the browser would post it.
    const done = await submit(c, { code: hotp(key, stepAt(nowMs())), redirectTo: '/account' })
    expect(done.headers.get('location')).toBe('/login/recovery-codes?redirectTo=%2Faccount')
    expect(await (await c.get('/account')).text()).toMatch(/10(<!-- -->)? recovery codes left/)
    const require = await c.post(`/portal/${org.slug}/sso`, { twoFactor: 'require' })
    expect(require.status).toBe(200)
    expect((await db().organization.findUniqueOrThrow({ where: { id: org.id } })).requireTwoFactor).toBe(true)
  })

  it('asks partners for a second factor only where their organization requires it', async () => {
    const org = await createOrganization('enterprise', unique('Strict Corp'))
    const member = await createUser(org.id, 'partner_finance')
    const c = new HttpClient(server.url)
    await c.signIn(member.email, member.password)
    expect(await signedIn(c)).toBe(true)
    await db().organization.update({ where: { id: org.id }, data: { requireTwoFactor: true } })
    const { page } = await passwordStep(member.email)
    expect(page).toContain('must sign in with a second factor')
    expect(await db().auditEvent.count({ where: { targetId: member.id, action: 'user.sign_in' } })).toBe(1)
    expect(newId()).toBeTruthy()
  })
})
