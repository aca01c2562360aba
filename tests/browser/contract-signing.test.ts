import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bootLocalDocuSign } from '../../fakes/docusign/boot-local-docusign.ts'
import type { LocalDocuSign } from '../../fakes/docusign/local-docusign.ts'
import { approveContractVersion } from '../../services/contracts/approve-contract.ts'
import { submitForApproval } from '#services/contracts/submit-for-approval.ts'
import { draftContract } from '../../services/contracts/draft-contract.ts'
import { sendForSignature } from '../../services/contracts/send-for-signature.ts'
import { startAppServer } from '../support/app-server.ts'
import { launchBrowser } from '../support/browser.ts'
import { signInOnPage } from '../support/browser-sign-in.ts'
import { contractCast, scopeFor, termsStartingToday } from '../support/contracts.ts'
import { drainJobs } from '../support/jobs.ts'

let server: Awaited<ReturnType<typeof startAppServer>>
let docusign: LocalDocuSign
let browser: Browser
beforeAll(async () => {
  server = await startAppServer()
  docusign = await bootLocalDocuSign({ connectUrl: `${server.url}/webhooks/docusign` })
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  await docusign?.close()
  await server?.close()
})

async function signIn(email: string, password: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage()
  await signInOnPage(page, server.url, email, password)
  return page
}

async function signInDocuSign(page: Page) {
  await page.waitForURL(`${docusign.uiBase}/signing/**`)
  await page.getByLabel('I agree to use electronic records and signatures.').check()
  await page.getByRole('button', { name: 'Finish and sign' }).click()
}

describe('signing a contract in the browser', () => {
  it('the partner signs in its portal, ggml countersigns, and ggml sees the contract active', async () => {
    const c = await contractCast()
    const manager = await scopeFor(c.manager.id, c.partner.id, 'contracts.draft')
    const { contract, version } = await draftContract(manager, {
      title: 'Browser hybrid license',
      kind: 'production_license',
      terms: termsStartingToday({ revenueShare: { percent: '3.00' } }),
    })
    await submitForApproval(manager, version.id)
    await approveContractVersion(await scopeFor(c.finance.id, c.partner.id, 'contracts.approve'), version.id)
    await sendForSignature(manager, version.id, {
      partnerSignerUserId: c.partnerAdmin.id,
      ggmlSignerUserId: c.ggmlAdmin.id,
    })

    const partner = await signIn(c.partnerAdmin.email, c.partnerAdmin.password)
    await partner.goto(`${server.url}/portal/${c.partner.slug}/contracts/${contract.id}`)
    await expect(partner.getByRole('heading', { name: 'Waiting for your signature' }).count()).resolves.toBe(1)
    await expect(partner.getByText('3.00% of AI-related revenue').count()).resolves.toBe(1)
    await partner.getByRole('button', { name: 'Review and sign' }).click()
    await signInDocuSign(partner)
    await partner.waitForURL(`**/portal/${c.partner.slug}/contracts/${contract.id}?signing=returned*`)
    await expect(partner.getByText('Thank you: your signature is recorded.').count()).resolves.toBe(1)
    await expect(partner.getByRole('button', { name: 'Review and sign' }).count()).resolves.toBe(0)
    await expect(partner.getByText(`${c.partnerAdmin.name} signed`).count()).resolves.toBe(1)

    const ggml = await signIn(c.ggmlAdmin.email, c.ggmlAdmin.password)
    await ggml.goto(`${server.url}/contracts/${contract.id}`)
    await ggml.getByRole('button', { name: 'Sign for ggml' }).click()
    await signInDocuSign(ggml)
    await ggml.waitForURL(`**/contracts/${contract.id}?signing=returned*`)

    await docusign.settled()
    await drainJobs()
    await ggml.reload()
    await expect(ggml.locator('header .badge').textContent()).resolves.toBe('active')
    // The page still carries ?signing=returned: it says the signing is done, not "in a moment" (issue 29).
    await expect(ggml.getByText('Everyone has signed: DocuSign confirmed completion.').count()).resolves.toBe(1)
    await expect(ggml.getByText(/confirm completion in a moment/).count()).resolves.toBe(0)
    await expect(ggml.getByRole('link', { name: 'Signed agreement' }).count()).resolves.toBe(1)
    await expect(ggml.getByRole('link', { name: 'Certificate of completion' }).count()).resolves.toBe(1)
    const href = await ggml.getByRole('link', { name: 'Signed agreement' }).getAttribute('href')
    const pdf = await ggml.request.get(`${server.url}${href}`)
    expect(pdf.headers()['content-type']).toBe('application/pdf')
    expect(pdf.headers()['x-content-sha256']).toMatch(/^[0-9a-f]{64}$/)

    // Drafting an amendment opens the editor on the signed terms (a client-side navigation: its data
    // request has another path than the page's).
    await ggml.getByRole('link', { name: 'Draft an amendment' }).click()
    await ggml.waitForURL(`**/contracts/${contract.id}/amend`)
    await ggml.getByRole('heading', { name: /^Amend / }).waitFor({ timeout: 5000 })
    await expect(ggml.getByText('There is no draft to edit.').count()).resolves.toBe(0)
    await ggml.getByLabel('Takes effect on').fill('2027-07-01')
    await ggml.getByRole('button', { name: 'Save amendment as draft' }).click()
    await ggml.waitForURL(`**/contracts/${contract.id}`)
    await ggml.getByText('Version 2 is a draft').waitFor()
  })

  it('a partner manager drafts a contract; a missing partner is named beside its field', async () => {
    const c = await contractCast()
    const page = await signIn(c.manager.email, c.manager.password)
    await page.goto(`${server.url}/contracts`)
    await page.getByRole('link', { name: 'New contract' }).first().click()
    await page.waitForURL('**/contracts/new')
    await page.getByRole('button', { name: 'Save draft' }).click()
    await page.locator('.field-message', { hasText: 'Choose the partner this contract is with.' }).waitFor()
    await expect(page.getByText(/expected string/i).count()).resolves.toBe(0)
    await page.getByRole('combobox', { name: /^Partner/ }).selectOption({ label: c.partner.name })
    await page.getByRole('button', { name: 'Save draft' }).click()
    await page.waitForURL(/\/contracts\/[0-9a-f-]{36}$/)
    await expect(page.getByText(c.partner.name).first().count()).resolves.toBe(1)
  })
})
