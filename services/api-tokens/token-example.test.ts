import { describe, expect, it } from 'vitest'
import { curlExample, lastEndedQuarter } from './token-example.ts'

const base = {
  baseUrl: 'https://partners.ggml.example',
  secret: 'ggml_pat_abc',
  orgSlug: 'acme',
  today: '2029-01-02',
  contractId: 'c_123',
  reportId: 'r_456',
}

describe('the example shown with a new API token', () => {
  it('files the quarter that ended last, since a running one cannot be filed', () => {
    expect(lastEndedQuarter('2029-01-02')).toBe('2028-Q4')
    expect(lastEndedQuarter('2029-03-31')).toBe('2028-Q4')
    expect(lastEndedQuarter('2029-04-01')).toBe('2029-Q1')
  })

  it('posts a report with a write token, with the real contract and the token itself', () => {
    const e = curlExample({ ...base, scopes: ['reports:write', 'reports:read'] })!
    expect(e.curl).toContain('"https://partners.ggml.example/api/v1/reports?contractId=c_123&period=2028-Q4"')
    expect(e.curl).toContain('-H "Authorization: Bearer ggml_pat_abc"')
    expect(e.missing).toBeNull()
  })

  it('says where to find a contract id when the organization has no signed contract', () => {
    const e = curlExample({ ...base, scopes: ['reports:write'], contractId: null })!
    expect(e.curl).toContain('contractId=CONTRACT_ID')
    expect(e.missing).toContain('https://partners.ggml.example/portal/acme/contracts')
  })

  it('reads a report with a read-only token', () => {
    const e = curlExample({ ...base, scopes: ['reports:read'] })!
    expect(e.curl).toContain('"https://partners.ggml.example/api/v1/reports/r_456"')
    expect(curlExample({ ...base, scopes: ['reports:read'], reportId: null })!.missing).toContain(
      '/portal/acme/reports',
    )
  })

  it('lists the first page of what a read token may read: invoices, else the last quarter’s statement', () => {
    const invoices = curlExample({ ...base, scopes: ['invoices:read', 'statements:read'] })!
    expect(invoices.curl).toContain('"https://partners.ggml.example/api/v1/invoices?limit=100"')
    const statement = curlExample({ ...base, scopes: ['statements:read'] })!
    expect(statement.curl).toContain('/api/v1/statements/2028-Q4?limit=100')
    expect(statement.missing).toBeNull()
  })
})
