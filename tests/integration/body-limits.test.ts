import http from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAppServer } from '../support/app-server.ts'
import { createOrganization, createUser } from '../support/fixtures.ts'
import { HttpClient } from '../support/http-client.ts'
import { createApiToken } from '../../services/api-tokens/create-api-token.ts'
import { hybridTerms } from '../../services/rating/sample-terms.ts'
import { scopeFor } from '../support/contracts.ts'
import { signedContractFor } from '../support/royalties.ts'

// Issue 24 (operator review): a signed-in person could send 150 MB to any page action, which reads its form
// into memory; anyone who can sign up could exhaust a machine. Only the report upload streams that much.
let server: Awaited<ReturnType<typeof startAppServer>>
beforeAll(async () => {
  server = await startAppServer()
})
afterAll(() => server.close())

/** A declared body of `bytes`, of which only the head is sent: the server must refuse on the header. */
function declared(path: string, cookie: string, bytes: number, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request(`${server.url}${path}`, {
      method: 'POST',
      headers: {
        Cookie: cookie,
        Origin: server.url,
        'Content-Type': 'multipart/form-data; boundary=x',
        'Content-Length': String(bytes),
        ...headers,
      },
    })
    req.on('response', (res) => {
      let body = ''
      res.on('data', (c: Buffer) => (body += c.toString()))
      res.on('end', () => resolve({ status: res.statusCode!, body }))
    })
    req.on('error', reject)
    req.write('--x\r\n')
  })
}

describe('body limits by route', () => {
  it('a page action takes at most 40 MB from a signed-in person; the report upload 150 MB', async () => {
    const org = await createOrganization('oem_partner')
    const admin = await createUser(org.id, 'partner_admin')
    const client = new HttpClient(server.url)
    await client.signIn(admin.email, admin.password)
    const cookie = ['__csrf', '__session'].map((n) => `${n}=${client.cookie(n)}`).join('; ')
    const team = await declared(`/portal/${org.slug}/team`, cookie, 50_000_000)
    expect(team.status).toBe(413)
    expect(team.body).toContain('This form is larger than 40 MB')
    const reports = await declared(`/portal/${org.slug}/reports`, cookie, 160_000_000)
    expect(reports.status).toBe(413)
    expect(reports.body).toContain('larger than 150 MB')
  })

  it('an API call with a token sends at most 25 MB of JSON; only a CSV report streams up to 150 MB', async () => {
    // Issue 24 attack review: a 140 MB JSON report was read and parsed whole, taking a process to 2.3 GB.
    const c = await signedContractFor(hybridTerms())
    const scope = await scopeFor(c.partnerAdmin.id, c.partner.id, 'api_tokens.create')
    const { secret } = await createApiToken(scope, { name: 'limits', scopes: ['reports:write'] })
    const bearer = { Authorization: `Bearer ${secret}` }
    const json = await declared('/api/v1/reports', '', 30_000_000, { ...bearer, 'Content-Type': 'application/json' })
    expect([json.status, JSON.parse(json.body).error.message]).toEqual([413, expect.stringContaining('25 MB')])
    const usage = await declared('/api/v1/credits/usage', '', 30_000_000, {
      ...bearer,
      'Content-Type': 'application/json',
    })
    expect(usage.status).toBe(413)
    const csv = await declared('/api/v1/reports?contractId=x&period=2027-Q1', '', 160_000_000, {
      ...bearer,
      'Content-Type': 'text/csv',
    })
    expect([csv.status, csv.body]).toEqual([413, expect.stringContaining('larger than 150 MB')])
  })
})
