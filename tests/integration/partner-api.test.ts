import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiToken } from '#services/api-tokens/create-api-token.ts'
import { db } from '#services/platform/db/client.ts'
import { newId } from '#services/platform/db/ids.ts'
import { webhookEventTypes } from '#services/webhooks/webhook-events.ts'
import { hybridTerms } from '../../services/rating/sample-terms.ts'
import { checkAnswer, contractClient, schemaErrors, type OpenApiDocument } from '../support/api-contract.ts'
import { startAppServer } from '../support/app-server.ts'
import { scopeFor } from '../support/contracts.ts'
import { createUser } from '../support/fixtures.ts'
import { acceptedResultRows } from '../support/certification.ts'
import { HttpClient } from '../support/http-client.ts'
import { row, signedContractFor } from '../support/royalties.ts'
import { livingAt } from '../support/time.ts'

// Issue 32: the partner API's read endpoints, its OpenAPI document, and the contract between the two.
livingAt()

const READ_ALL = ['reports:write', 'reports:read', 'invoices:read', 'statements:read', 'badges:read'] as const

let server: Awaited<ReturnType<typeof startAppServer>>
let doc: OpenApiDocument
let call: ReturnType<typeof contractClient>
beforeAll(async () => {
  server = await startAppServer()
  doc = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as OpenApiDocument
  call = contractClient(server.url, doc)
})
afterAll(() => server.close())

/** A partner with three posted reports, three issued invoices (and a draft) and two badges, one revoked. */
async function partnerWithHistory() {
  const c = await signedContractFor(
    hybridTerms({ term: { start: '2027-01-01', end: '2029-12-31', renewal: { kind: 'none' } } }),
  )
  const admin = await scopeFor(c.partnerAdmin.id, c.partner.id, 'api_tokens.create')
  const { secret } = await createApiToken(admin, { name: 'ERP sync', scopes: [...READ_ALL] })
  const auth = { Authorization: `Bearer ${secret}` }
  const reportIds: string[] = []
  for (const [i, period] of ['2027-Q1', '2027-Q2', '2027-Q3'].entries()) {
    const res = await call('/api/v1/reports', {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json', 'Idempotency-Key': `erp-${period}` },
      body: JSON.stringify({ contractId: c.contract.id, period, lines: [row('Mainstream', 100 * (i + 1))] }),
    })
    expect(res.status).toBe(201)
    reportIds.push(res.body.reportId)
  }
  const entries = await db().journalEntry.findMany({ where: { organizationId: c.partner.id } })
  const invoiceIds: string[] = []
  for (const [i, e] of entries.entries()) {
    const id = newId()
    await db().invoice.create({
      data: {
        id,
        organizationId: c.partner.id,
        journalEntryId: e.id,
        currency: 'USD',
        description: `Royalties ${i}`,
        lines: [],
        amountDueMinor: 6000n * BigInt(i + 1),
        amountRemainingMinor: i === 0 ? 0n : 6000n * BigInt(i + 1),
        amountPaidMinor: i === 0 ? 6000n : 0n,
        status: i === 0 ? 'paid' : i === entries.length - 1 ? 'draft' : 'open',
        number: `INV-${i}`,
        issuedAt: new Date(`2027-0${4 + i}-02`),
        dueDate: new Date(`2027-0${5 + i}-02`),
        paidAt: i === 0 ? new Date('2027-04-20') : null,
        createdAt: new Date(Date.UTC(2027, 3 + i, 2)),
      },
    })
    invoiceIds.push(id)
  }
  const badgeIds = [await badgeFor(c.partner.id, false), await badgeFor(c.partner.id, true)]
  return { c, auth, reportIds, invoiceIds, issuedInvoiceIds: invoiceIds.slice(0, -1), badgeIds }
}

async function badgeFor(organizationId: string, revoked: boolean): Promise<string> {
  const { requestId, resultId } = await acceptedResultRows(organizationId)
  const id = newId()
  const speed = { n: 8, ts: 41.8, sd: 0.2 }
  await db().certBadge.create({
    data: {
      id,
      organizationId,
      requestId,
      resultId,
      assurance: 'runner-verified',
      summary: { shape: 'tiny', type: 'F16', pp: { ...speed, ts: 612 }, tg: speed, cpu: 'x86', backends: ['CPU'] },
      issuedAt: new Date('2028-12-01'),
      revokedAt: revoked ? new Date('2028-12-15') : null,
    },
  })
  return id
}

/** Every page of a list, following nextCursor, each page checked against the document. */
async function everyPage(path: string, headers: Record<string, string>, limit: number) {
  const items: { id?: string }[] = []
  let cursor: string | null = null
  let pages = 0
  do {
    const q: string = `?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`
    const res = await call(`${path}${q}`, { headers })
    expect(res.status).toBe(200)
    expect(res.body.data.length).toBeLessThanOrEqual(limit)
    items.push(...res.body.data)
    cursor = res.body.nextCursor
    pages++
  } while (cursor && pages < 50)
  return { items, pages }
}

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 with every $ref resolved, security declared, and examples valid against their schemas', () => {
    expect(doc.openapi).toBe('3.1.0')
    const text = JSON.stringify(doc)
    for (const [, name] of text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g))
      expect(doc.components.schemas, `unresolved $ref ${name}`).toHaveProperty(name!)
    const full = doc as unknown as {
      components: { securitySchemes: Record<string, unknown> }
      paths: Record<
        string,
        Record<
          string,
          {
            security?: Record<string, string[]>[]
            parameters?: { name: string; in: string }[]
            requestBody?: { content: Record<string, { schema: Record<string, unknown>; example?: unknown }> }
            responses: Record<
              string,
              { content?: Record<string, { schema: Record<string, unknown>; example?: unknown }> }
            >
          }
        >
      >
    }
    expect(Object.keys(full.components.securitySchemes).sort()).toEqual([
      'apiToken',
      'cloudServiceToken',
      'runnerSecret',
    ])
    for (const path of [
      '/api/v1/reports',
      '/api/v1/invoices',
      '/api/v1/statements/{period}',
      '/api/v1/badges',
      '/api/v1/credits/usage',
      '/api/runner/v1/claim',
    ])
      expect(doc.paths, path).toHaveProperty([path])
    let examples = 0
    const operationIds: string[] = []
    for (const [path, item] of Object.entries(full.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (method === 'parameters') continue
        // A generated client names its methods after these (issue 32).
        operationIds.push((op as { operationId?: string }).operationId ?? `none for ${method} ${path}`)
        for (const s of op.security ?? [])
          for (const scheme of Object.keys(s)) expect(full.components.securitySchemes).toHaveProperty(scheme)
        // Each {name} in the path is a declared path parameter.
        const declared = [...((item.parameters as unknown as { name: string }[]) ?? []), ...(op.parameters ?? [])].map(
          (p) => p.name,
        )
        for (const [, name] of path.matchAll(/\{(\w+)\}/g)) expect(declared, `${method} ${path}`).toContain(name)
        const media = [
          ...Object.values(op.requestBody?.content ?? {}),
          ...Object.values(op.responses).flatMap((r) => Object.values(r.content ?? {})),
        ]
        for (const m of media) {
          if (m.example === undefined) continue
          examples++
          expect(schemaErrors(doc, m.schema, m.example), `example of ${method} ${path}`).toEqual([])
        }
      }
    }
    expect(examples).toBeGreaterThan(8)
    for (const id of operationIds) expect(id).toMatch(/^[a-z][A-Za-z]+$/)
    expect(new Set(operationIds).size).toBe(operationIds.length)
  })

  it('is rendered as a reference page in the platform layout', async () => {
    const c = await signedContractFor(hybridTerms())
    const user = await createUser(c.partner.id, 'partner_engineer')
    const client = new HttpClient(server.url)
    await client.signIn(user.email, user.password)
    const page = await client.get('/developers/api')
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('API reference')
    expect(html).toContain('/api/v1/statements/{period}')
    expect(html).toContain('id="schema-InvoicePage"')
    expect(html).toContain('apiToken (invoices:read)')
    // Receiving webhooks, from docs/webhooks.md: the verification snippet and every event (issue 32).
    expect(html).toContain('id="webhooks"')
    expect(html).toContain('export function verify(rawBody, header, secret, toleranceSeconds = 300)')
    for (const type of webhookEventTypes) expect(html).toContain(`<code>${type}</code>`)
    expect(html).not.toMatch(/<script[^>]+src="https?:\/\//)
  })
})

describe('the partner read API', () => {
  it('pages through invoices, reports and badges with opaque cursors, each answer as documented', async () => {
    const p = await partnerWithHistory()
    const invoices = await everyPage('/api/v1/invoices', p.auth, 1)
    // Newest first; a draft is not the partner's yet.
    expect(invoices.items.map((i) => i.id)).toEqual([...p.issuedInvoiceIds].reverse())
    expect(invoices.pages).toBe(p.issuedInvoiceIds.length)
    const reports = await everyPage('/api/v1/reports', p.auth, 2)
    expect(new Set(reports.items.map((r) => r.id))).toEqual(new Set(p.reportIds))
    expect(reports.pages).toBe(2)
    const badges = await everyPage('/api/v1/badges', p.auth, 100)
    expect(badges.items.map((b) => [b.id, (b as { standing: string }).standing]).sort()).toEqual(
      [
        [p.badgeIds[0], 'in force'],
        [p.badgeIds[1], 'revoked'],
      ].sort(),
    )
  })

  it('reads a period’s statement with its bookings a page at a time', async () => {
    const p = await partnerWithHistory()
    const whole = await call('/api/v1/statements/2029-01?limit=100', { headers: p.auth })
    expect(whole.status).toBe(200)
    const paged = await everyPage('/api/v1/statements/2029-01', p.auth, 1)
    expect(paged.items).toEqual(whole.body.data)
    expect(whole.body.data.length).toBe(3)
    const [usd] = whole.body.accounts
    const booked = whole.body.data.reduce((s: bigint, l: { amountMinor: string }) => s + BigInt(l.amountMinor), 0n)
    expect(BigInt(usd.closingMinor) - BigInt(usd.openingMinor)).toBe(booked)
  })

  it('refuses bad cursors, limits, periods, tokens and scopes in the documented error shape', async () => {
    const p = await partnerWithHistory()
    expect((await call('/api/v1/invoices?cursor=not-ours', { headers: p.auth })).body.error.code).toBe('invalid_input')
    const tooMany = await call('/api/v1/badges?limit=101', { headers: p.auth })
    expect(tooMany.status).toBe(422)
    expect(tooMany.body.error.fields).toHaveProperty('limit')
    expect((await call('/api/v1/statements/2027-Q9', { headers: p.auth })).status).toBe(422)
    expect((await call('/api/v1/invoices')).status).toBe(401)
    const admin = await scopeFor(p.c.partnerAdmin.id, p.c.partner.id, 'api_tokens.create')
    const { secret } = await createApiToken(admin, { name: 'reports only', scopes: ['reports:read'] })
    const narrow = { Authorization: `Bearer ${secret}` }
    for (const path of ['/api/v1/invoices', '/api/v1/badges', '/api/v1/statements/2027-Q1']) {
      const res = await call(path, { headers: narrow })
      expect(res.status, path).toBe(403)
    }
    expect((await call('/api/v1/reports', { headers: narrow })).status).toBe(200)
    expect((await call('/api/v1/credits/usage', { method: 'POST', body: '{}' })).status).toBe(401)
    const badReport = await call('/api/v1/reports', {
      method: 'POST',
      headers: { ...p.auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ contractId: p.c.contract.id, period: '2027-Q4', lines: [row('Entry', -1)] }),
    })
    expect(badReport.status).toBe(422)
    expect(badReport.body.error.code).toBe('invalid_report')
  })

  it('fails a route whose answer drifts from the document', async () => {
    const p = await partnerWithHistory()
    const res = await fetch(`${server.url}/api/v1/invoices`, { headers: p.auth })
    const body = (await res.json()) as { data: Record<string, unknown>[]; nextCursor: string | null }
    const drifted = (change: (b: typeof body) => void) => {
      const copy = structuredClone(body)
      change(copy)
      return Response.json(copy)
    }
    // The real answer passes; each drift a route could make is caught.
    await expect(checkAnswer(doc, 'GET', '/api/v1/invoices', Response.json(body))).resolves.toBeTruthy()
    const drifts: ((b: typeof body) => void)[] = [
      (b) => (b.data[0]!.amountDueMinor = 6000), // money as a number
      (b) => delete b.data[0]!.status, // a field dropped
      (b) => (b.data[0]!.internalNote = 'x'), // a field the document does not declare
      (b) => (b.data[0]!.status = 'draft'), // a value outside the enum
      (b) => delete (b as Partial<typeof b>).nextCursor,
    ]
    for (const change of drifts)
      await expect(checkAnswer(doc, 'GET', '/api/v1/invoices', drifted(change))).rejects.toThrow(/drifted/)
    // An undocumented status or route fails as well.
    await expect(checkAnswer(doc, 'GET', '/api/v1/invoices', Response.json(body, { status: 418 }))).rejects.toThrow(
      /does not list/,
    )
    await expect(checkAnswer(doc, 'GET', '/api/v1/payouts', Response.json(body))).rejects.toThrow(/not in the OpenAPI/)
  })

  it('shows another organization’s token none of these resources', async () => {
    const victim = await partnerWithHistory()
    const other = await partnerWithHistory()
    const theirs = new Set([...victim.reportIds, ...victim.invoiceIds, ...victim.badgeIds])
    for (const path of ['/api/v1/invoices', '/api/v1/reports', '/api/v1/badges', '/api/v1/statements/2029-01']) {
      const { items } = await everyPage(path, other.auth, 100)
      expect(items.length, path).toBeGreaterThan(0)
      for (const item of items) expect(theirs.has(item.id ?? ''), `${path} showed ${item.id}`).toBe(false)
      expect(JSON.stringify(items)).not.toContain(victim.c.partner.name)
    }
    const own = await everyPage('/api/v1/invoices', other.auth, 100)
    expect(own.items.map((i) => i.id).sort()).toEqual([...other.issuedInvoiceIds].sort())
    // A victim's report id read directly is as unknown as one that never existed.
    const direct = await call(`/api/v1/reports/${victim.reportIds[0]}`, { headers: other.auth })
    expect(direct.status).toBe(404)
  })
})
