import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { revokeApiToken } from '#services/api-tokens/revoke-api-token.ts'
import { createApiToken } from '#services/api-tokens/create-api-token.ts'
import { hybridTerms } from '../../services/rating/sample-terms.ts'
import { db } from '../../services/platform/db/client.ts'
import { startAppServer } from '../support/app-server.ts'
import { scopeFor } from '../support/contracts.ts'
import { row, signedContractFor } from '../support/royalties.ts'
import { livingAt } from '../support/time.ts'

// The reports these tests file are of 2027 and 2028: the platform lives after them.
livingAt()

let server: Awaited<ReturnType<typeof startAppServer>>
beforeAll(async () => {
  server = await startAppServer()
})
afterAll(() => server.close())

async function setup() {
  const c = await signedContractFor(
    hybridTerms({ term: { start: '2027-01-01', end: '2029-12-31', renewal: { kind: 'none' } } }),
  )
  const admin = await scopeFor(c.partnerAdmin.id, c.partner.id, 'api_tokens.create')
  const { id, secret } = await createApiToken(admin, { name: 'ERP export', scopes: ['reports:write', 'reports:read'] })
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/api/v1/reports`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    })
  return { c, admin, tokenId: id, secret, post }
}

describe('the reports API', () => {
  it('posts a JSON report once per idempotency key and returns its charges by id', async () => {
    const { c, secret, post } = await setup()
    const body = { contractId: c.contract.id, period: '2027-Q1', lines: [row('Mainstream', 1000), row('Premium', 10)] }
    const first = await post(body, { 'Idempotency-Key': 'erp-2027-q1' })
    expect(first.status).toBe(201)
    const created = await first.json()
    const retry = await post(body, { 'Idempotency-Key': 'erp-2027-q1' })
    expect(retry.status).toBe(200)
    expect(await retry.json()).toEqual({ ...created, duplicate: true })
    const detail = await (
      await fetch(`${server.url}/api/v1/reports/${created.reportId}`, {
        headers: { Authorization: `Bearer ${secret}` },
      })
    ).json()
    expect(detail.charges[0]).toMatchObject({
      kind: 'royalty',
      amount: '$600.00',
      trace: ['Tier 1 (year units 1–1,000): 1,000 × $0.60 = $600.00', 'Band total $600.00'],
    })
    expect(await db().journalEntry.count({ where: { organizationId: c.partner.id } })).toBe(1)
  })

  it('accepts text/csv bodies streamed with the contract and period in the query', async () => {
    const { c, secret, post } = await setup()
    const csv = 'device_model,device_class,price_band,region,units\nA,smartphone,Entry,EU,5\n'
    const res = await post(csv, { 'Content-Type': 'text/csv' })
    expect(res.status).toBe(400)
    expect((await res.json()).error.message).toContain('put the contract and period in the query')
    const ok = await fetch(`${server.url}/api/v1/reports?contractId=${c.contract.id}&period=2027-03`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'text/csv' },
      body: csv,
    })
    expect(ok.status).toBe(201)
  })

  it('answers bad lines with their line, field and message, and posts nothing', async () => {
    const { c, post } = await setup()
    const res = await post({
      contractId: c.contract.id,
      period: '2027-Q1',
      lines: [row('Entry', 5), row('Entry', -1, { device_model: 'B' })],
    })
    expect(res.status).toBe(422)
    expect(await res.json()).toEqual({
      error: {
        code: 'invalid_report',
        message: 'Nothing was posted: 1 problem(s).',
        issueCount: 1,
        issues: [{ line: 2, field: 'units', message: expect.stringContaining('Units cannot be negative (“-1”)') }],
      },
    })
    expect(await db().royaltyReport.count({ where: { contractId: c.contract.id } })).toBe(0)
  })

  it('refuses missing, revoked and under-scoped tokens, and another partner’s contract', async () => {
    const { c, admin, tokenId, post } = await setup()
    expect((await fetch(`${server.url}/api/v1/reports`, { method: 'POST', body: '{}' })).status).toBe(401)
    const other = await setup()
    const foreign = await other.post({ contractId: c.contract.id, period: '2027-Q1', lines: [row('Entry', 1)] })
    expect(foreign.status).toBe(404)
    const readOnly = await createApiToken(admin, { name: 'read only', scopes: ['reports:read'] })
    expect(
      (
        await fetch(`${server.url}/api/v1/reports`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${readOnly.secret}` },
          body: '{}',
        })
      ).status,
    ).toBe(403)
    await revokeApiToken(admin, tokenId)
    const revoked = await post({ contractId: c.contract.id, period: '2027-Q1', lines: [] })
    expect(revoked.status).toBe(401)
    expect((await revoked.json()).error.message).toBe('This API token is unknown or revoked.')
  })
})
