import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { bootLocalStripe, type LocalStripe } from '../../fakes/stripe/local-stripe.ts'
import { db } from '../../services/platform/db/client.ts'
import { actorForUser } from '../../services/identity/sessions.ts'
import { now, resetClock, travelTo } from '../../services/platform/clock.ts'
import { tenantScope } from '../../services/tenancy/tenant-guard.ts'
import { ABANDONED_AFTER_HOURS, reconcileCheckouts } from '../../services/training/expire-checkout.ts'
import { startCheckout } from '../../services/training/start-checkout.ts'
import { startAppServer } from '../support/app-server.ts'
import { createOrganization, createUser, ggmlOrganization, unique } from '../support/fixtures.ts'
import { HttpClient } from '../support/http-client.ts'
import { drainJobs } from '../support/jobs.ts'
import { examFixture } from '../support/training.ts'

// Issue 29's smaller defects, each with the behaviour a person noticed.
let server: Awaited<ReturnType<typeof startAppServer>>
let stripe: LocalStripe
beforeAll(async () => {
  server = await startAppServer()
  stripe = await bootLocalStripe({ webhookUrl: `${server.url}/webhooks/stripe` })
})
afterAll(async () => {
  await drainJobs()
  await stripe.settled()
  await stripe.close()
  await server.close()
})
afterEach(() => resetClock())

const text = async (res: Response) => (await res.text()).replaceAll('<!-- -->', '')

async function signedIn(email: string, password: string) {
  const http = new HttpClient(server.url)
  await http.signIn(email, password)
  return http
}

describe('landing after sign-in', () => {
  it('takes a partner manager to the contracts, though they may read finance; finance to finance', async () => {
    const ggml = await ggmlOrganization()
    for (const [role, home] of [
      ['partner_manager', '/contracts'],
      ['finance', '/finance'],
      ['ggml_admin', '/admin'],
    ] as const) {
      const user = await createUser(ggml.id, role)
      const res = await (await signedIn(user.email, user.password)).get('/')
      expect([role, res.status, res.headers.get('location')]).toEqual([role, 302, home])
    }
  })
})

describe('the team invitation', () => {
  it('offers a partner its own roles only, and refuses a learner or contributor role sent anyway', async () => {
    const org = await createOrganization('oem_partner', unique('Invite Partner'))
    const admin = await createUser(org.id, 'partner_admin')
    const http = await signedIn(admin.email, admin.password)
    const page = await text(await http.get(`/portal/${org.slug}/team`))
    expect(page).toContain('<option value="partner_engineer">')
    expect(page).not.toContain('<option value="learner">')
    expect(page).not.toContain('<option value="contributor">')
    for (const role of ['learner', 'contributor']) {
      const email = `${unique('invitee')}@example.test`
      const res = await http.post(`/portal/${org.slug}/team`, { intent: 'invite', email, role })
      expect(res.status).toBeGreaterThanOrEqual(400)
      expect(res.status).toBeLessThan(500)
      expect(await db().invitation.count({ where: { email } })).toBe(0)
    }
    // An enterprise customer buys training for its people: learners are its to invite.
    const company = await createOrganization('enterprise', unique('Invite Company'))
    const companyAdmin = await createUser(company.id, 'partner_admin')
    const companyPage = await text(
      await (await signedIn(companyAdmin.email, companyAdmin.password)).get(`/portal/${company.slug}/team`),
    )
    expect(companyPage).toContain('<option value="learner">')
    expect(companyPage).not.toContain('<option value="contributor">')
  })
})

describe('a certification request without a runner', () => {
  it('says the job needs a runner, with the way to register one, instead of waiting for a poll', async () => {
    const org = await createOrganization('oem_partner', unique('No Runner'))
    const engineer = await createUser(org.id, 'partner_admin')
    const http = await signedIn(engineer.email, engineer.password)
    const res = await http.post(`/portal/${org.slug}/certification`, {
      intent: 'request',
      productName: 'Edge gateway',
      sku: unique('GW'),
      modelShape: 'tiny',
      modelType: 'Q4_0',
    })
    const body = await text(res)
    expect(body).toContain('Certification requested.')
    expect(body).toContain('you have no runner registered yet')
    expect(body).toContain('href="#runners"')
    expect(body).not.toContain('picks the job up on its next poll')
  })
})

describe('a learner’s checkout', () => {
  async function learner() {
    const org = await createOrganization('learner', unique('Learner'))
    const user = await createUser(org.id, 'learner')
    const scope = await tenantScope(await actorForUser(user.id), { id: org.id }, 'training.learn')
    return { org, user, scope, http: await signedIn(user.email, user.password) }
  }

  it('back from paying, the exam row already counts the voucher, before any webhook is handled', async () => {
    const { exam } = await examFixture()
    const a = await learner()
    const checkout = await startCheckout(a.scope, { product: 'exam', slug: exam.slug })
    const sessionId = checkout.url.split('/').at(-1)!
    expect((await fetch(`${checkout.url}/pay`, { method: 'POST', redirect: 'manual' })).status).toBe(303)
    const page = await text(await a.http.get(`/learn/${a.org.slug}?paid=${sessionId}`))
    expect(page).toContain('Payment received: what you bought is below, ready to use.')
    // This exam's row counts the voucher (other tests' exams, in the same database, still want one).
    const row = (html: string) => html.slice(html.indexOf(`/learn/exams/${exam.slug}"`)).split('</tr>')[0]!
    expect(row(page)).toContain('Yes, paid by your voucher.')
    expect(row(page)).not.toContain('You need a voucher: buy one')
    expect(await db().examVoucher.count({ where: { orderId: checkout.orderId } })).toBe(1)
    // Another learner's session id in the address is ignored.
    const b = await learner()
    const foreign = await text(await b.http.get(`/learn/${b.org.slug}?paid=${sessionId}`))
    expect(row(foreign)).toContain('You need a voucher: buy one')
    await stripe.settled()
    await drainJobs()
    expect(await db().examVoucher.count({ where: { orderId: checkout.orderId } })).toBe(1)
  })

  it('abandoned, it is expired by the sweep and shows “expired — start again”, not “awaiting payment”', async () => {
    const { exam } = await examFixture()
    const a = await learner()
    const checkout = await startCheckout(a.scope, { product: 'exam', slug: exam.slug })
    expect(await text(await a.http.get(`/learn/${a.org.slug}`))).toContain('awaiting payment')
    const clock = travelTo(now())
    clock.advance((ABANDONED_AFTER_HOURS - 1) * 3_600_000)
    expect((await reconcileCheckouts())[checkout.orderId]).toBe('open')
    clock.advance(2 * 3_600_000)
    expect((await reconcileCheckouts())[checkout.orderId]).toBe('expired')
    expect(stripe.checkoutSessions.get(checkout.url.split('/').at(-1)!)!.status).toBe('expired')
    const http = await signedIn(a.user.email, a.user.password)
    const page = await text(await http.get(`/learn/${a.org.slug}`))
    expect(page).toMatch(/expired — <a href="\/learn"[^>]*>start again<\/a>/)
    expect(page).not.toContain('awaiting payment')
  })
})
