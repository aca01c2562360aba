import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { db } from '../../services/platform/db/client.ts'
import { sha256 } from '../../services/identity/tokens.ts'
import { startAppServer } from '../support/app-server.ts'
import { createOrganization, createUser, TEST_PASSWORD, unique } from '../support/fixtures.ts'
import { HttpClient } from '../support/http-client.ts'
import { drainJobs } from '../support/jobs.ts'

let server: Awaited<ReturnType<typeof startAppServer>>
beforeAll(async () => {
  server = await startAppServer()
})
afterAll(() => server.close())

const sessionId = (c: HttpClient) => {
  const raw = c.cookie('__session')
  return raw ? sha256(JSON.parse(Buffer.from(decodeURIComponent(raw), 'base64').toString('utf8'))) : undefined
}

describe('signing in', () => {
  it('starts an httpOnly SameSite=Lax session, rotated at every sign-in', async () => {
    const org = await createOrganization()
    const user = await createUser(org.id, 'partner_admin')
    const c = new HttpClient(server.url)
    await c.get('/login')
    const res = await c.post('/login', { email: user.email.toUpperCase(), password: TEST_PASSWORD })
    expect(res.status).toBe(302)
    const cookie = res.headers.getSetCookie().find((l) => l.startsWith('__session='))!
    expect(cookie).toMatch(/HttpOnly/i)
    expect(cookie).toMatch(/SameSite=Lax/i)
    const first = sessionId(c)!
    expect(await db().session.count({ where: { id: first } })).toBe(1)
    // The CSRF token is rotated with the session: the one from before sign-in no longer verifies.
    const anonymousToken = c.csrfToken()
    await c.get('/login')
    expect(c.csrfToken()).not.toBe(anonymousToken)
    expect((await c.post('/logout', {}, { csrf: anonymousToken })).status).toBe(403)

    await c.post('/login', { email: user.email, password: TEST_PASSWORD })
    const second = sessionId(c)!
    expect(second).not.toBe(first)
    expect(await db().session.count({ where: { id: first } })).toBe(0)
    expect((await c.get(`/portal/${org.slug}`)).status).toBe(200)
  })

  it('answers a wrong password with one message that does not reveal whether the email exists', async () => {
    const org = await createOrganization()
    const user = await createUser(org.id, 'partner_admin')
    const c = new HttpClient(server.url)
    const wrong = await c.post('/login', { email: user.email, password: 'not the password' })
    const nobody = await c.post('/login', { email: `${unique('nobody')}@example.test`, password: 'whatever-it-is' })
    expect(wrong.status).toBe(401)
    expect(nobody.status).toBe(401)
    expect(await wrong.text()).toContain('That email and password do not match an account.')
    expect(await nobody.text()).toContain('That email and password do not match an account.')
  })

  it('shows field errors from the server for an empty form', async () => {
    const c = new HttpClient(server.url)
    const res = await c.post('/login', { email: 'not-an-email', password: '' })
    expect(res.status).toBe(422)
    const html = await res.text()
    expect(html).toContain('Enter the email address you were invited with.')
    expect(html).toContain('Enter your password.')
  })

  it('locks an email out after repeated failures, even with the right password', async () => {
    const org = await createOrganization()
    const user = await createUser(org.id, 'partner_engineer')
    const c = new HttpClient(server.url)
    for (let i = 0; i < 5; i++)
      expect((await c.post('/login', { email: user.email, password: `wrong-${i}` })).status).toBe(401)
    const locked = await c.post('/login', { email: user.email, password: TEST_PASSWORD })
    expect(locked.status).toBe(429)
    expect(await locked.text()).toMatch(/Too many sign-in attempts/)
  })
})

describe('CSRF protection', () => {
  it(
    'refuses a mutation without the token, with a wrong token, or from another origin, and ' + 'changes nothing',
    async () => {
      const org = await createOrganization()
      const admin = await createUser(org.id, 'partner_admin')
      const c = new HttpClient(server.url)
      await c.signIn(admin.email, admin.password)
      const invite = { intent: 'invite', email: `${unique('x')}@example.test`, role: 'partner_engineer' }
      expect((await c.post(`/portal/${org.slug}/team`, invite, { csrf: null })).status).toBe(403)
      expect((await c.post(`/portal/${org.slug}/team`, invite, { csrf: 'forged-token-value-xxxxxxxxxx' })).status).toBe(
        403,
      )
      // React Router's own origin check answers 400 before our middleware's 403; either is a refusal.
      expect([400, 403]).toContain(
        (await c.post(`/portal/${org.slug}/team`, invite, { origin: 'https://evil.example' })).status,
      )
      expect(await db().invitation.count({ where: { organizationId: org.id } })).toBe(0)
      expect((await c.post(`/portal/${org.slug}/team`, invite)).status).toBe(200)
      expect(await db().invitation.count({ where: { organizationId: org.id } })).toBe(1)
    },
  )
})

describe('password reset by email', () => {
  it('mails a one-time link that sets a new password and ends every session', async () => {
    const org = await createOrganization()
    const user = await createUser(org.id, 'partner_finance')
    const signedIn = new HttpClient(server.url)
    await signedIn.signIn(user.email, user.password)

    const c = new HttpClient(server.url)
    const asked = await c.post('/forgot-password', { email: user.email })
    expect(await asked.text()).toContain('If an account uses that address')
    await drainJobs()
    const mail = await db().mailMessage.findFirstOrThrow({ where: { to: user.email } })
    expect(mail.subject).toBe('Reset your GGML partner platform password')
    const link = mail.text.match(/https?:\/\/\S+\/reset-password\/(\S+)/)!
    const path = `/reset-password/${link[1]}`

    const mismatch = await c.post(path, { password: 'a brand new password', confirm: 'something else entirely' })
    expect(mismatch.status).toBe(422)
    expect(await mismatch.text()).toContain('The two passwords differ.')
    expect((await c.post(path, { password: 'a brand new password', confirm: 'a brand new password' })).status).toBe(302)

    expect((await signedIn.get(`/portal/${org.slug}`)).status).toBe(302)
    expect(
      (await new HttpClient(server.url).post('/login', { email: user.email, password: user.password })).status,
    ).toBe(401)
    await new HttpClient(server.url).signIn(user.email, 'a brand new password')
    const reused = await c.post(path, { password: 'yet another password', confirm: 'yet another password' })
    expect(reused.status).toBe(404)
  })

  it('answers the same for an unknown email and sends nothing', async () => {
    const c = new HttpClient(server.url)
    const email = `${unique('ghost')}@example.test`
    expect(await (await c.post('/forgot-password', { email })).text()).toContain('If an account uses that address')
    await drainJobs()
    expect(await db().mailMessage.count({ where: { to: email } })).toBe(0)
  })
})

describe('invitations', () => {
  it('lets a partner admin invite a person who then joins with the invited role', async () => {
    const org = await createOrganization()
    const admin = await createUser(org.id, 'partner_admin')
    const c = new HttpClient(server.url)
    await c.signIn(admin.email, admin.password)
    const email = `${unique('new')}@example.test`
    const res = await c.post(`/portal/${org.slug}/team`, { intent: 'invite', email, role: 'partner_engineer' })
    expect(await res.text()).toContain(`Invitation sent to ${email}.`)
    await drainJobs()
    const mail = await db().mailMessage.findFirstOrThrow({ where: { to: email } })
    const token = mail.text.match(/\/invitations\/(\S+)/)![1]!

    const invitee = new HttpClient(server.url)
    expect(await (await invitee.get(`/invitations/${token}`)).text()).toContain('partner-engineer')
    const accepted = await invitee.post(`/invitations/${token}`, {
      name: 'Nia New',
      password: 'a long enough password',
      confirm: 'a long enough password',
    })
    expect(accepted.status).toBe(302)
    const team = await invitee.get(`/portal/${org.slug}/team`)
    expect(team.status).toBe(200)
    const membership = await db().membership.findFirstOrThrow({ where: { organizationId: org.id, user: { email } } })
    expect(membership.role).toBe('partner_engineer')
    expect(
      (
        await new HttpClient(server.url).post(`/invitations/${token}`, {
          name: 'x',
          password: 'a long enough password',
          confirm: 'a long enough password',
        })
      ).status,
    ).toBe(404)
  })

  it('refuses a staff role inside a partner organization with a field error', async () => {
    const org = await createOrganization()
    const admin = await createUser(org.id, 'partner_admin')
    const c = new HttpClient(server.url)
    await c.signIn(admin.email, admin.password)
    const res = await c.post(`/portal/${org.slug}/team`, {
      intent: 'invite',
      email: `${unique('x')}@example.test`,
      role: 'finance',
    })
    expect(res.status).toBe(422)
    expect(await res.text()).toContain('finance is not available for')
  })
})
