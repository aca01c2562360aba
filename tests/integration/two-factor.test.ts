import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { db } from '../../services/platform/db/client.ts'
import { newId } from '../../services/platform/db/ids.ts'
import { completeTwoFactor } from '../../services/identity/complete-two-factor.ts'
import { newSecretToken, sha256 } from '../../services/identity/tokens.ts'
import { hotp, stepAt } from '../../services/identity/totp.ts'
import { nowMs, travelTo } from '../../services/platform/clock.ts'
import { startAppServer } from '../support/app-server.ts'
import { createOrganization, createUser, ggmlOrganization, TEST_PASSWORD, unique } from '../support/fixtures.ts'
import { HttpClient } from '../support/http-client.ts'
import { drainJobs } from '../support/jobs.ts'
import { enrolTotp, nextCodeFor } from '../support/second-factor.ts'

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
    // Every load shows the key and echoes the address: never compressed (BREACH, decision 042), never stored.
    c.headers['Accept-Encoding'] = 'br, gzip'
    const reload = await c.get('/login/two-factor?redirectTo=%2Fguess')
    expect(reload.headers.get('content-encoding')).toBeNull()
    expect(reload.headers.get('cache-control')).toBe('no-store, no-transform')
    expect((await c.get('/login')).headers.get('content-encoding')).toBe('br')
    delete c.headers['Accept-Encoding']
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

/** A code the authenticator does not show now (nor a step either side): a guess that is wrong. */
const wrongCodeFor = (secret: string) => {
  const valid = new Set([-1, 0, 1].map((d) => hotp(secret, stepAt(nowMs()) + d)))
  return ['111111', '222222', '333333', '444444'].find((c) => !valid.has(c))!
}
const MINUTE = 60 * 1000

describe('the second factor per account (issue 25)', () => {
  it('locks after five wrong codes across challenges, refuses even the right one, mails, then backs off', async () => {
    const clock = travelTo('2027-03-01T09:00:00Z')
    const org = await createOrganization()
    const user = await createUser(org.id, 'partner_engineer')
    const secret = await enrolTotp(user.id)
    // Whoever has the password opens challenge after challenge: 2 + 2 + 1 wrong codes, one a recovery code.
    const answers: Response[] = []
    let c = new HttpClient(server.url)
    for (const wrongs of [2, 2, 1]) {
      ;({ c } = await passwordStep(user.email))
      for (let i = 0; i < wrongs; i++)
        answers.push(
          await submit(
            c,
            answers.length === 2 ? { recoveryCode: 'aaaa-bbbb-cccc-dddd' } : { code: wrongCodeFor(secret) },
          ),
        )
    }
    expect(answers.map((r) => r.status)).toEqual([422, 422, 422, 422, 422])
    expect(await answers[4]!.text()).toContain('locked until 09:05 UTC on 1 March 2027')

    // Locked: the right code on the open challenge is refused, and the password opens no new challenge.
    const right = await submit(c, { code: hotp(secret, stepAt(nowMs())) })
    expect(right.status).toBe(429)
    expect(await right.text()).toContain('locked until 09:05 UTC on 1 March 2027')
    expect(await signedIn(c)).toBe(false)
    const last = await db().signInChallenge.findFirstOrThrow({ where: { userId: user.id } })
    const again = await new HttpClient(server.url).post('/login', { email: user.email, password: TEST_PASSWORD })
    expect(again.status).toBe(429)
    expect(again.headers.get('location')).toBeNull()
    expect(await again.text()).toContain('second factor is locked until 09:05 UTC on 1 March 2027')
    expect((await db().signInChallenge.findFirstOrThrow({ where: { userId: user.id } })).id).toBe(last.id)
    expect(await db().user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({
      secondFactorFailures: 5,
      secondFactorLockedUntil: new Date('2027-03-01T09:05:00Z'),
    })
    expect(await db().auditEvent.count({ where: { targetId: user.id, action: 'user.second_factor_locked' } })).toBe(1)
    await drainJobs()
    const mail = await db().mailMessage.findMany({ where: { to: user.email } })
    expect(mail).toHaveLength(1)
    expect(mail[0]!.text).toContain('Someone entered wrong sign-in codes for your account')
    expect(mail[0]!.text).toContain('If this was not you, change your password')

    // After the back-off the right code works and the count starts again.
    clock.advance(5 * MINUTE)
    const after = await passwordStep(user.email)
    expect((await submit(after.c, { code: hotp(secret, stepAt(nowMs())) })).status).toBe(302)
    expect(await signedIn(after.c)).toBe(true)
    expect(await db().user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({
      secondFactorFailures: 0,
      secondFactorLockedUntil: null,
    })
  })

  it('refuses the right code while locked and doubles the back-off for each wrong code after the fifth', async () => {
    const clock = travelTo('2027-03-02T09:00:00Z')
    const org = await createOrganization()
    const user = await createUser(org.id, 'partner_engineer')
    const secret = await enrolTotp(user.id)
    await db().user.update({
      where: { id: user.id },
      data: { secondFactorFailures: 5, secondFactorLockedUntil: new Date('2027-03-02T09:05:00Z') },
    })
    // The challenge was opened before the lock (a race): the right code still does not pass.
    const { token } = newSecretToken()
    await db().signInChallenge.create({
      data: { id: sha256(token), userId: user.id, purpose: 'verify', expiresAt: new Date(nowMs() + 10 * MINUTE) },
    })
    await expect(completeTwoFactor(token, { code: hotp(secret, stepAt(nowMs())) })).rejects.toThrow(
      'locked until 09:05 UTC on 2 March 2027',
    )
    clock.advance(5 * MINUTE)
    // One more wrong code: locked again, for twice as long.
    await expect(completeTwoFactor(token, { code: wrongCodeFor(secret) })).rejects.toMatchObject({
      fieldErrors: { code: [expect.stringContaining('locked until 09:15 UTC on 2 March 2027')] },
    })
    expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).secondFactorFailures).toBe(6)
  })

  it('counts every one of ten wrong codes sent at once, and mails once', async () => {
    travelTo('2027-03-03T09:00:00Z')
    const org = await createOrganization()
    const user = await createUser(org.id, 'partner_engineer')
    const secret = await enrolTotp(user.id)
    // Ten challenges open at once (sign-ins raced each other), one guess on each, all in parallel.
    const tokens = await Promise.all(
      Array.from({ length: 10 }, async () => {
        const { token } = newSecretToken()
        await db().signInChallenge.create({
          data: { id: sha256(token), userId: user.id, purpose: 'verify', expiresAt: new Date(nowMs() + 10 * MINUTE) },
        })
        return token
      }),
    )
    const outcomes = await Promise.allSettled(tokens.map((t) => completeTwoFactor(t, { code: wrongCodeFor(secret) })))
    expect(outcomes.every((o) => o.status === 'rejected')).toBe(true)
    // Counted before they are checked, one after the other: the fifth locked it for 5 minutes, and the
    // other five were refused unchecked (an attacker's burst gets five guesses, not ten or twenty).
    expect(await db().user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({
      secondFactorFailures: 5,
      secondFactorLockedUntil: new Date(nowMs() + 5 * MINUTE),
    })
    const refusedUnchecked = outcomes.filter((o) => o.status === 'rejected' && /locked until/.test(String(o.reason)))
    expect(refusedUnchecked.length).toBeGreaterThanOrEqual(5)
    expect(await db().auditEvent.count({ where: { targetId: user.id, action: 'user.second_factor_locked' } })).toBe(1)
    await drainJobs()
    expect(await db().mailMessage.count({ where: { to: user.email } })).toBe(1)
  })
})

describe('resetting a member’s second factor (issue 25)', () => {
  /** A member whose authenticator, recovery code and session are all in place. */
  async function enrolledMember(organizationId: string, email?: string) {
    const member = await createUser(organizationId, 'partner_engineer', email)
    await enrolTotp(member.id)
    await db().recoveryCode.create({ data: { id: newId(), userId: member.id, codeHash: sha256(unique('code')) } })
    const c = new HttpClient(server.url)
    await c.signIn(member.email, member.password)
    return { member, c }
  }
  const secondFactorOf = (userId: string) =>
    db().user.findUniqueOrThrow({
      where: { id: userId },
      select: {
        totpEnabledAt: true,
        _count: { select: { recoveryCodes: true, sessions: true } },
      },
    })

  it('lets an organization admin reset it where the organization owns the identity, else refuses', async () => {
    const org = await createOrganization('enterprise', unique('Owned Corp'))
    const domain = `${unique('owned')}.example`
    const admin = await createUser(org.id, 'partner_admin', `${unique('admin')}@${domain}`)
    await db().organizationDomain.create({
      data: { domain, organizationId: org.id, verifiedAt: new Date(nowMs()), createdById: admin.id },
    })
    const owned = await enrolledMember(org.id, `${unique('owned')}@${domain}`)
    // Same verified domain, but also a member of a second organization: the identity is the person's.
    const shared = await enrolledMember(org.id, `${unique('shared')}@${domain}`)
    await db().membership.create({
      data: { id: newId(), userId: shared.member.id, organizationId: (await createOrganization()).id, role: 'learner' },
    })
    const c = new HttpClient(server.url)
    await c.signIn(admin.email, admin.password)
    const team = `/portal/${org.slug}/team`
    const page = await (await c.get(team)).text()
    expect(page.match(/Reset second factor/g)).toHaveLength(1)

    const refused = await c.post(team, {
      intent: 'reset-second-factor',
      userId: shared.member.id,
      reason: 'Lost phone',
    })
    expect(refused.status).toBe(403)
    expect(await refused.text()).toContain('Ask ggml support to reset their second factor')
    expect(await secondFactorOf(shared.member.id)).toMatchObject({
      totpEnabledAt: expect.any(Date),
      _count: { recoveryCodes: 1, sessions: 1 },
    })
    expect(await signedIn(shared.c)).toBe(true)

    const done = await c.post(team, { intent: 'reset-second-factor', userId: owned.member.id, reason: 'Lost phone' })
    expect(done.status).toBe(200)
    expect(await done.text()).toContain('second factor was reset')
    expect(await secondFactorOf(owned.member.id)).toEqual({
      totpEnabledAt: null,
      _count: { recoveryCodes: 0, sessions: 0 },
    })
    expect(await signedIn(owned.c)).toBe(false)
    expect(
      await db().auditEvent.count({ where: { targetId: owned.member.id, action: 'user.second_factor_reset' } }),
    ).toBe(1)
    await drainJobs()
    expect(await db().mailMessage.count({ where: { to: owned.member.email } })).toBe(1)
    // Without an authenticator now, the person signs in with the password alone.
    expect(
      (
        await new HttpClient(server.url).post('/login', { email: owned.member.email, password: TEST_PASSWORD })
      ).headers.get('location'),
    ).toBe('/')
  })

  it('resets a ggml staff member’s only with a second ggml admin’s approval', async () => {
    const ggml = await ggmlOrganization()
    const [first, second] = [await createUser(ggml.id, 'ggml_admin'), await createUser(ggml.id, 'ggml_admin')]
    const staff = await createUser(ggml.id, 'finance')
    const team = `/portal/${ggml.slug}/team`
    const asks = new HttpClient(server.url)
    await asks.signIn(first.email, first.password)
    const requested = await asks.post(team, { intent: 'reset-second-factor', userId: staff.id, reason: 'New phone' })
    expect(await requested.text()).toContain('a second ggml admin must approve it')
    // A request alone resets nothing, and its author cannot approve it.
    expect((await secondFactorOf(staff.id)).totpEnabledAt).not.toBeNull()
    const request = await db().secondFactorReset.findFirstOrThrow({ where: { userId: staff.id, decidedAt: null } })
    const own = await asks.post(team, { intent: 'approve-second-factor-reset', requestId: request.id })
    expect(own.status).toBe(403)
    expect(await own.text()).toContain('a different ggml admin must approve it')
    expect((await secondFactorOf(staff.id)).totpEnabledAt).not.toBeNull()

    const approves = new HttpClient(server.url)
    await approves.signIn(second.email, second.password)
    expect(await (await approves.get(team)).text()).toContain('Approve reset')
    const approved = await approves.post(team, { intent: 'approve-second-factor-reset', requestId: request.id })
    expect(await approved.text()).toContain('second factor was reset')
    expect((await secondFactorOf(staff.id)).totpEnabledAt).toBeNull()
    expect(await db().secondFactorReset.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({
      approvedById: second.id,
      decidedAt: expect.any(Date),
    })
  })
})
