import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiToken } from '#services/api-tokens/create-api-token.ts'
import { createScimToken } from '#services/api-tokens/create-scim-token.ts'
import { hybridTerms } from '../../services/rating/sample-terms.ts'
import { db } from '../../services/platform/db/client.ts'
import { travelTo } from '../../services/platform/clock.ts'
import { startAppServer } from '../support/app-server.ts'
import { scopeFor } from '../support/contracts.ts'
import { createUser } from '../support/fixtures.ts'
import { HttpClient } from '../support/http-client.ts'
import { row, signedContractFor } from '../support/royalties.ts'
import { livingAt } from '../support/time.ts'

// Least privilege for API tokens (issue 25). The platform lives on 2029-01-02, after the 2027 periods filed here.
livingAt()

let server: Awaited<ReturnType<typeof startAppServer>>
beforeAll(async () => {
  server = await startAppServer()
})
afterAll(() => server.close())

async function partner() {
  const c = await signedContractFor(
    hybridTerms({ term: { start: '2027-01-01', end: '2029-12-31', renewal: { kind: 'none' } } }),
  )
  const admin = await scopeFor(c.partnerAdmin.id, c.partner.id, 'api_tokens.create')
  const tokens = () => db().apiToken.count({ where: { organizationId: c.partner.id } })
  return { ...c, admin, tokens }
}

const bearer = (secret: string) => ({ Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' })

describe('API tokens carry only what they were made for', () => {
  it('refuses a token with no permission, and none is ticked on the page', async () => {
    const p = await partner()
    await expect(createApiToken(p.admin, { name: 'ERP export', scopes: [] })).rejects.toThrow(
      'Choose at least one permission.',
    )
    expect(await p.tokens()).toBe(0)

    const browser = new HttpClient(server.url)
    await browser.signIn(p.partnerAdmin.email, p.partnerAdmin.password)
    const page = await (await browser.get(`/portal/${p.partner.slug}/api-tokens`)).text()
    expect(page).toContain('ERP report filing')
    expect(page).not.toMatch(/<input[^>]*checked/)
    expect(page).not.toContain('value="scim:provision"')
    // The form as it is sent untouched: a name and nothing chosen.
    const untouched = await browser.post(`/portal/${p.partner.slug}/api-tokens`, {
      intent: 'create',
      name: 'ERP export',
      expiresInDays: '90',
    })
    expect(untouched.status).toBe(422)
    expect(await untouched.text()).toContain('Choose at least one permission.')
    expect(await p.tokens()).toBe(0)
  })

  it('refuses scim:provision outside the single sign-on page, and stores nothing', async () => {
    const p = await partner()
    await expect(
      createApiToken(p.admin, { name: 'Okta', scopes: ['reports:read', 'scim:provision'] }),
    ).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringContaining('single sign-on page') })
    // A tampered form on the API tokens page asks for it too.
    const browser = new HttpClient(server.url)
    await browser.signIn(p.partnerAdmin.email, p.partnerAdmin.password)
    const forged = await browser.post(`/portal/${p.partner.slug}/api-tokens`, {
      intent: 'create',
      name: 'Okta',
      scopes: 'scim:provision',
    })
    expect(forged.status).toBe(422)
    expect(await forged.text()).toContain('single sign-on page')
    expect(await p.tokens()).toBe(0)
    expect(await db().auditEvent.count({ where: { organizationId: p.partner.id, action: 'api_token.create' } })).toBe(0)
  })

  it('makes SCIM tokens only for those who configure single sign-on, with that one scope', async () => {
    const p = await partner()
    const finance = await createUser(p.partner.id, 'partner_finance')
    await expect(
      createScimToken(await scopeFor(finance.id, p.partner.id, 'portal.view'), { name: 'Okta provisioning' }),
    ).rejects.toMatchObject({ code: 'forbidden' })
    // ggml's admin sees a partner's tokens on its behalf but configures nothing there.
    await expect(
      createScimToken(await scopeFor(p.ggmlAdmin.id, p.partner.id, 'api_tokens.view'), { name: 'Okta provisioning' }),
    ).rejects.toMatchObject({ code: 'forbidden' })
    expect(await p.tokens()).toBe(0)

    const browser = new HttpClient(server.url)
    await browser.signIn(p.partnerAdmin.email, p.partnerAdmin.password)
    const made = await browser.post(`/portal/${p.partner.slug}/sso`, {
      intent: 'create-scim-token',
      name: 'Okta provisioning',
      expiresInDays: '365',
    })
    expect(made.status).toBe(200)
    const html = await made.text()
    expect(html).toContain(`${server.url}/scim/v2`)
    expect(html).toContain('It expires on 2030-01-02.')
    const secret = /ggml_pat_[A-Za-z0-9_-]{43}/.exec(html)![0]
    const stored = await db().apiToken.findFirstOrThrow({ where: { organizationId: p.partner.id } })
    expect(stored.scopes).toEqual(['scim:provision'])
    const users = await fetch(`${server.url}/scim/v2/Users`, { headers: bearer(secret) })
    expect(users.status).toBe(200)
    // The API tokens page lists it, with its expiry, and can revoke it.
    const list = await (await browser.get(`/portal/${p.partner.slug}/api-tokens`)).text()
    expect(list).toContain('Okta provisioning')
    expect(list).toContain('expires 2030-01-02')
    const revoked = await browser.post(`/portal/${p.partner.slug}/api-tokens`, { intent: 'revoke', tokenId: stored.id })
    expect(revoked.status).toBe(200)
    expect((await fetch(`${server.url}/scim/v2/Users`, { headers: bearer(secret) })).status).toBe(401)
  })

  it('shows a new token once, with a curl example naming the real contract and the period to file', async () => {
    const p = await partner()
    const browser = new HttpClient(server.url)
    await browser.signIn(p.partnerAdmin.email, p.partnerAdmin.password)
    const made = await browser.post(`/portal/${p.partner.slug}/api-tokens`, {
      intent: 'create',
      name: 'ERP export',
      preset: 'erp',
    })
    expect(made.status).toBe(200)
    const html = await made.text()
    expect(html).toContain('It expires on 2029-04-02.')
    expect(html).toContain(`${server.url}/api/v1/reports?contractId=${p.contract.id}&amp;period=2028-Q4`)
    const stored = await db().apiToken.findFirstOrThrow({ where: { organizationId: p.partner.id } })
    expect(stored.scopes).toEqual(['reports:write', 'reports:read'])
  })
})

describe('every API token expires', () => {
  it('works the day before its expiry and is refused, saying so, after it', async () => {
    const p = await partner()
    // Made on 2029-01-02 at 09:00 for 30 days: it ends on 2029-02-01 at 09:00.
    const { secret } = await createApiToken(p.admin, {
      name: 'ERP export',
      scopes: ['reports:write', 'reports:read'],
      expiresInDays: 30,
    })
    travelTo('2029-01-31T09:00:00Z')
    const filed = await fetch(`${server.url}/api/v1/reports`, {
      method: 'POST',
      headers: bearer(secret),
      body: JSON.stringify({ contractId: p.contract.id, period: '2027-Q1', lines: [row('Mainstream', 1000)] }),
    })
    expect(filed.status).toBe(201)
    const { reportId } = (await filed.json()) as { reportId: string }
    const read = () => fetch(`${server.url}/api/v1/reports/${reportId}`, { headers: bearer(secret) })
    expect((await read()).status).toBe(200)

    travelTo('2029-02-01T09:00:00Z')
    const refused = await read()
    expect(refused.status).toBe(401)
    expect(((await refused.json()) as { error: { message: string } }).error.message).toBe(
      `This API token expired on 2029-02-01; create a new one at ${server.url}/portal/${p.partner.slug}/api-tokens.`,
    )
    const late = await fetch(`${server.url}/api/v1/reports`, {
      method: 'POST',
      headers: bearer(secret),
      body: JSON.stringify({ contractId: p.contract.id, period: '2027-Q2', lines: [row('Mainstream', 10)] }),
    })
    expect(late.status).toBe(401)
    expect(await db().royaltyReport.count({ where: { organizationId: p.partner.id } })).toBe(1)
  })

  it('lets only the listed lifetimes be chosen, 90 days when none is', async () => {
    const p = await partner()
    await expect(
      createApiToken(p.admin, { name: 'Forever', scopes: ['reports:read'], expiresInDays: 36500 }),
    ).rejects.toThrow('Choose 30, 90, 180 or 365 days.')
    const { id } = await createApiToken(p.admin, { name: 'ERP export', scopes: ['reports:read'] })
    const stored = await db().apiToken.findUniqueOrThrow({ where: { id } })
    expect(stored.expiresAt.toISOString()).toBe('2029-04-02T09:00:00.000Z')
  })
})
