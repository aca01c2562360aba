import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { reportUsage } from '../../fakes/ggml-cloud/simulate-usage.ts'
import { registerLocalCloudToken } from '../../services/credits/cloud-token.ts'
import { decideGrant } from '../../services/credits/decide-grant.ts'
import { accountSlugOf, proposeGrant } from '../../services/credits/propose-grant.ts'
import { db } from '../../services/platform/db/client.ts'
import { resetClock } from '../../services/platform/clock.ts'
import { startAppServer } from '../support/app-server.ts'
import { launchBrowser } from '../support/browser.ts'
import { contributorWithLots, programStaff, programYear, someContributor } from '../support/credits.ts'
import { unique } from '../support/fixtures.ts'
import { handleSendInvitation } from '../../services/organizations/send-invitation.ts'

let server: Awaited<ReturnType<typeof startAppServer>>
let browser: Browser
const token = `cloud_test_${unique('t')}_0123456789abcdef0123456789`
beforeAll(async () => {
  server = await startAppServer()
  browser = await launchBrowser()
  registerLocalCloudToken(token)
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
})

describe('contributor credits in the browser', () => {
  it('a contributor accepts the invitation and the credits, then sees the balance after GGML Cloud usage', async () => {
    const staff = await programStaff()
    const who = someContributor()
    const year = await programYear(10_000_000n, [who])
    const grant = await proposeGrant(staff.managerActor, { year, login: who.login })
    await decideGrant(staff.approverActor, { grantId: grant.id, decision: 'approve' })
    const invitationOf = await db().invitation.findFirstOrThrow({ where: { email: who.email } })
    // The invitation's job, run by its real handler (draining the whole queue would also wait on other
    // tests' retries in this database).
    const outbox = await db().outboxMessage.findFirstOrThrow({
      where: { jobName: 'identity.send-invitation', payload: { path: ['invitationId'], equals: invitationOf.id } },
    })
    await handleSendInvitation({ invitationId: invitationOf.id }, { jobId: outbox.id, attempt: 1 })
    const mail = await db().mailMessage.findFirstOrThrow({ where: { to: who.email } })
    const invitation = mail.text.match(/\/invitations\/(\S+)/)![1]!

    const page = await browser.newPage()
    page.setDefaultTimeout(8000)
    await page.goto(`${server.url}/invitations/${invitation}`)
    await page.getByLabel('Your name').fill('Dana Developer')
    await page.getByLabel('Choose a password').fill('a long enough password')
    await page.getByLabel('Repeat the password').fill('a long enough password')
    await page.getByRole('button', { name: 'Accept invitation' }).click()
    await page.waitForURL((u) => !u.pathname.startsWith('/invitations/'))
    await page.goto(`${server.url}/rewards`)
    const account = accountSlugOf(who.login)
    await page.waitForURL(`**/rewards/${account}`)
    await page.getByRole('heading', { name: `You have been granted $2,000.00 for ${year}` }).waitFor()
    // Without ticking the terms, nothing is accepted and the page says why.
    await page.getByRole('button', { name: 'Accept the credits' }).click()
    await page.getByRole('alert').getByText('Tick the box to accept the program terms.').waitFor()
    await page.getByLabel('I accept the program terms').check()
    await page.getByRole('button', { name: 'Accept the credits' }).click()
    await page.getByText(/The credits are yours until the end of/).waitFor()

    const used = await reportUsage(server.url, token, {
      account,
      category: 'inference',
      amount: '123.45',
      occurredAt: new Date().toISOString(), // usage before the credits were accepted would not be covered
    })
    expect(used.status).toBe(201)
    expect(used.body).toMatchObject({ covered: '123.45', uncovered: '0.00' })
    await page.reload()
    const balance = page.locator('.stat', { hasText: 'Balance' })
    await expect(balance.textContent()).resolves.toContain('$1,876.55')
    await expect(page.getByRole('cell', { name: 'GGML Cloud Inference' }).first().textContent()).resolves.toBeTruthy()
    const csv = await page.request.get(`${server.url}/rewards/${account}/activity.csv`)
    expect(await csv.text()).toContain('-123.45')
    await page.close()
  })

  it('the usage API answers every mistake with a reason and spends once per key', async () => {
    const c = await contributorWithLots([{ amount: '500', acceptAt: new Date(Date.now() - 86_400_000).toISOString() }])
    resetClock()
    const body = {
      account: c.organization.slug,
      category: 'storage',
      amount: '10.00',
      occurredAt: new Date().toISOString(),
    }
    const post = (headers: Record<string, string>, b: unknown = body) =>
      fetch(`${server.url}/api/v1/credits/usage`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
        body: typeof b === 'string' ? b : JSON.stringify(b),
      })
    expect((await post({ 'Idempotency-Key': 'x' })).status).toBe(401)
    expect((await post({ Authorization: 'Bearer wrong', 'Idempotency-Key': 'x' })).status).toBe(401)
    const auth = { Authorization: `Bearer ${token}` }
    const noKey = await post(auth)
    expect(noKey.status).toBe(400)
    expect(((await noKey.json()) as { error: { message: string } }).error.message).toMatch(/Idempotency-Key/)
    expect((await post({ ...auth, 'Idempotency-Key': unique('k') }, '{not json')).status).toBe(400)
    const bad = await post({ ...auth, 'Idempotency-Key': unique('k') }, { ...body, amount: '1e3' })
    expect(bad.status).toBe(422)
    expect(JSON.stringify(await bad.json())).toMatch(/at most two decimals/)
    const key = unique('k')
    const first = await post({ ...auth, 'Idempotency-Key': key })
    expect(first.status).toBe(201)
    const again = await post({ ...auth, 'Idempotency-Key': key })
    expect(again.status).toBe(200)
    expect((await again.json()) as object).toMatchObject({ replayed: true, covered: '10.00' })
    const other = await post({ ...auth, 'Idempotency-Key': key }, { ...body, amount: '11.00' })
    expect(other.status).toBe(409)
    expect(await db().creditUsage.count({ where: { organizationId: c.organization.id } })).toBe(1)
  })
})
