import { generateKeyPairSync } from 'node:crypto'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { requestCertification } from '#services/certification/request-certification.ts'
import { createRunnerToken } from '#services/certification/create-runner-token.ts'
import { startAppServer } from '../support/app-server.ts'
import { postToRunnerApi, sampleFingerprint } from '../support/runner-api.ts'
import { launchBrowser } from '../support/browser.ts'
import { passwordStep } from '../support/browser-sign-in.ts'
import { scopeFor } from '../support/contracts.ts'
import { createOrganization, createUser, unique } from '../support/fixtures.ts'
import { knowModels } from '../support/certification.ts'

let server: Awaited<ReturnType<typeof startAppServer>>
let browser: Browser
beforeAll(async () => {
  await knowModels()
  server = await startAppServer()
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
})

const post = (route: string, body: unknown, secret?: string) => postToRunnerApi(server.url, route, body, secret)

describe('certification progress in the browser', () => {
  it('the partner’s page follows a running job live, without a reload', async () => {
    const org = await createOrganization('oem_partner', unique('Live Silicon'))
    const engineer = await createUser(org.id, 'partner_engineer')
    const scope = await scopeFor(engineer.id, org.id, 'certification.view')
    const { jobId } = await requestCertification(scope, {
      productName: 'Live Box',
      sku: 'LB-1',
      modelShape: 'tiny',
      modelType: 'Q4_0',
    })
    const registered = await (
      await post('/api/runner/v1/register', {
        token: await createRunnerToken(scope),
        name: 'live-runner',
        publicKey: generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        fingerprint: sampleFingerprint(),
      })
    ).json()

    const page = await browser.newPage()
    await page.goto(`${server.url}/login`)
    await passwordStep(page, engineer.email)
    await page.getByLabel('Password').fill(engineer.password)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL(`**/portal/${org.slug}`)
    await page.goto(`${server.url}/portal/${org.slug}/certification`)
    await page.getByText('this page follows its progress live').waitFor()
    const navigations: string[] = []
    page.on('framenavigated', (f) => navigations.push(f.url()))

    // The runner claims the job and reports a repetition: the page shows it on its own.
    expect((await (await post('/api/runner/v1/claim', { waitSeconds: 0 }, registered.secret)).json()).job.id).toBe(
      jobId,
    )
    await post(
      `/api/runner/v1/jobs/${jobId}/heartbeat`,
      { progress: 'pp512: repetition 2, 1234.5 t/s' },
      registered.secret,
    )
    await page.getByText('pp512: repetition 2, 1234.5 t/s').waitFor({ timeout: 10_000 })
    await post(`/api/runner/v1/jobs/${jobId}/heartbeat`, { progress: 'probing memory bandwidth' }, registered.secret)
    await page.getByText('probing memory bandwidth').waitFor({ timeout: 10_000 })
    expect(navigations).toEqual([]) // data reloaded in place, no page load

    // What the user was doing survives the live refreshes: a one-time token, then a form's errors.
    await page.getByRole('button', { name: 'Make a registration token' }).click()
    const token = page.getByText(/--token ggml_rt_/)
    await token.waitFor()
    await post(`/api/runner/v1/jobs/${jobId}/heartbeat`, { progress: 'tg128: repetition 1' }, registered.secret)
    await page.getByText('tg128: repetition 1').waitFor({ timeout: 10_000 })
    expect(await token.isVisible()).toBe(true)
    await page.getByRole('button', { name: 'Queue the benchmark' }).click()
    const error = page.locator('.field-message', { hasText: 'Enter the SKU.' })
    await error.waitFor()
    await post(`/api/runner/v1/jobs/${jobId}/heartbeat`, { progress: 'tg128: repetition 2' }, registered.secret)
    await page.getByText('tg128: repetition 2').waitFor({ timeout: 10_000 })
    expect(await error.isVisible()).toBe(true)
    await page.close()
  }, 60_000)
})
