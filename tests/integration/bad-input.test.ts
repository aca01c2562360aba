import { generateKeyPairSync } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bootLocalDocuSign } from '../../fakes/docusign/boot-local-docusign.ts'
import { stripeSignature } from '../../fakes/stripe/local-stripe.ts'
import { createApiToken } from '../../services/api-tokens/create-api-token.ts'
import { createScimToken } from '../../services/api-tokens/create-scim-token.ts'
import { stripeWebhookSecret } from '../../services/billing/stripe-client.ts'
import { createRunnerToken } from '../../services/certification/create-runner-token.ts'
import { hybridTerms } from '../../services/rating/sample-terms.ts'
import { registerLocalCloudToken } from '../../services/credits/cloud-token.ts'
import { CATEGORIES } from '../../services/credits/program-terms.ts'
import { db } from '../../services/platform/db/client.ts'
import type { Role } from '../../services/platform/db/generated/enums.ts'
import { newId } from '../../services/platform/db/ids.ts'
import { docusignConfig } from '../../services/platform/docusign/docusign-config.ts'
import { connectSignature } from '../../services/platform/docusign/verify-connect-signature.ts'
import { saveSamlConnection } from '../../services/sso/save-saml-connection.ts'
import { startAttempt } from '../../services/training/start-attempt.ts'
import { startAppServer } from '../support/app-server.ts'
import { scopeFor } from '../support/contracts.ts'
import { createOrganization, createUser, ggmlOrganization, unique, verifiedDomain } from '../support/fixtures.ts'
import { HttpClient } from '../support/http-client.ts'
import { deeplyNested, vocabularyOf, type Json } from '../support/malformed-input.ts'
import { signedContractFor } from '../support/royalties.ts'
import { postToRunnerApi, sampleFingerprint } from '../support/runner-api.ts'
import { idpKeys, idpMetadata } from '../support/saml-idp.ts'
import { livingAt } from '../support/time.ts'
import { examFixture, giveVoucher } from '../support/training.ts'

/**
 * Issue 24: every endpoint answers bad input with a 4xx and a message a person can act on, and the
 * database keeps every row it had. The endpoints are not listed by hand: the API's come from the OpenAPI
 * document the app serves (every operation with a request body, and every runner call), SCIM and the
 * inbound webhooks are added, and the form actions come from the production build's route table, so
 * a new endpoint is walked the day it ships. Each battery is a fixed list of bodies (no randomness):
 * broken JSON, other JSON types, each required field dropped, each value of a working body given each
 * other JSON type, a NUL, an oversized string, 100,000-element arrays and 1,000-deep nesting.
 * tests/property/malformed-input.property.test.ts draws random bodies on top of these.
 */
livingAt()

/** A hang is a failure too. */
const REQUEST_TIMEOUT_MS = 15_000
/** Tables a refused request may add rows to, each with why. */
const MAY_GROW: Record<string, string> = {
  AuditEvent: 'refusals may be audited (a refused SAML response, a denied permission)',
  Session: 'a signed-in request may rotate its session',
}
/** Tables a form route's wrong-typed posts may really change, because its fields are free text. */
const FREE_TEXT: Record<string, Record<string, string>> = {
  'routes/finance/accounting': {
    AccountingAccountMapping: 'an account code is the ERP’s own free text: "abc" is one, so the mapping is saved',
  },
}
/** Form routes not posted to, each with why. */
const SKIPPED_FORMS: Record<string, string> = {
  'routes/auth/logout': 'takes no input: any post ends the caller’s own session (auth.test.ts)',
}
/** Intents that take no input: a post with them is a real request whatever the fields hold. */
const NO_INPUT_INTENTS: Record<string, Record<string, string>> = {
  'routes/account/account': {
    'end-others': 'signs the caller out everywhere else',
    'end-all': 'signs the caller out',
    'two-factor': 'starts enrolling an authenticator',
  },
  'routes/portal/certification': {
    token: 'issues a runner registration token',
    'lab-token': 'issues a lab runner registration token',
  },
  'routes/learn/attempt': { submit: 'hands the exam in' },
}

type Body = { name: string; raw: string }
type Failure = string

let server: Awaited<ReturnType<typeof startAppServer>>
let owner: pg.Client
let tables: string[]

beforeAll(async () => {
  server = await startAppServer()
  owner = new pg.Client({ connectionString: process.env.DATABASE_URL })
  await owner.connect()
  const rows = await owner.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT LIKE '\\_prisma%' ORDER BY 1`,
  )
  tables = rows.rows.map((r) => r.name)
}, 60_000)
afterAll(async () => {
  await owner?.end()
  await server?.close()
})

/** Every table's row count, in one round trip, as the owner (the app role cannot read every table). */
async function rowCounts(): Promise<Map<string, number>> {
  const sql = `SELECT ${tables.map((t, i) => `(SELECT count(*) FROM "${t}")::int AS c${i}`).join(', ')}`
  const row = (await owner.query<Record<string, number>>(sql)).rows[0]!
  return new Map(tables.map((t, i) => [t, row[`c${i}`]!]))
}

/** The tables whose row count moved, other than those allowed to grow. */
function moved(before: Map<string, number>, after: Map<string, number>, free: Record<string, string> = {}): string[] {
  return tables
    .filter((t) => before.get(t) !== after.get(t) && !(t in MAY_GROW && after.get(t)! > before.get(t)!) && !(t in free))
    .map((t) => `${t} ${before.get(t)} → ${after.get(t)} rows`)
}

/** Runs `work` over `items`, `width` at a time: a battery's bodies are independent (each must be refused). */
async function inParallel<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!)
    }),
  )
}
const PARALLEL = 4

const show = (v: string) => (v.length > 120 ? `${v.slice(0, 120)}… (${v.length} chars)` : v)

async function send(url: string, init: RequestInit): Promise<{ status: number; text: string } | { hung: string }> {
  try {
    const res = await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) })
    return { status: res.status, text: await res.text() }
  } catch (e) {
    return { hung: `no answer in ${REQUEST_TIMEOUT_MS / 1000} s (${(e as Error).message})` }
  }
}

/** The message of an error answer in any of the API's shapes (ours, SCIM's `detail`, a webhook's). */
function messageOf(text: string): string | undefined {
  try {
    const b = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown; detail?: unknown }
    const m = (typeof b.error === 'object' ? b.error?.message : b.error) ?? b.message ?? b.detail
    return typeof m === 'string' && m.trim().length > 3 ? m : undefined
  } catch {
    return undefined
  }
}

// ---------------------------------------------------------------------------------------------------
// Bodies

type Schema = {
  $ref?: string
  type?: string | string[]
  properties?: Record<string, Schema>
  required?: string[]
  items?: Schema
  anyOf?: Schema[]
  oneOf?: Schema[]
}
type Path = (string | number)[]

const kindOf = (v: Json) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v)
/** One value of each JSON type: a field is given every one that is not its own. */
const OF_EACH_TYPE: Record<string, Json> = { string: 'abc', number: 42, object: { a: 1 }, array: ['x'], boolean: true }
const OVERSIZED = 'y'.repeat(300_000)

function at(v: Json, path: Path): Json {
  return path.reduce<Json>((o, k) => (o as Record<string, Json>)[k as string]!, v)
}
function replaced(v: Json, path: Path, by: Json | undefined): Json {
  if (!path.length) return by as Json
  const [head, ...rest] = path
  if (Array.isArray(v)) return v.map((x, i) => (i === head ? replaced(x, rest, by) : x))
  const o = { ...(v as Record<string, Json>) }
  if (!rest.length && by === undefined) delete o[head as string]
  else o[head as string] = replaced(o[head as string]!, rest, by)
  return o
}
function pathsOf(v: Json, prefix: Path = []): Path[] {
  const inner = Array.isArray(v)
    ? v.flatMap((x, i) => pathsOf(x, [...prefix, i]))
    : v && typeof v === 'object'
      ? Object.entries(v).flatMap(([k, x]) => pathsOf(x, [...prefix, k]))
      : []
  return prefix.length ? [prefix, ...inner] : inner
}

/** The required fields of a schema at every depth, as paths into `sample` (array items through its first element). */
function requiredPaths(
  schema: Schema | undefined,
  sample: Json,
  resolve: (s: Schema) => Schema,
  prefix: Path = [],
): Path[] {
  if (!schema || sample === null || typeof sample !== 'object') return []
  const s = resolve(schema)
  if (Array.isArray(sample)) return sample.length ? requiredPaths(s.items, sample[0]!, resolve, [...prefix, 0]) : []
  const own = (s.required ?? []).filter((f) => f in sample).map((f) => [...prefix, f])
  const deeper = Object.entries(s.properties ?? {}).flatMap(([f, sub]) =>
    f in sample ? requiredPaths(sub, (sample as Record<string, Json>)[f]!, resolve, [...prefix, f]) : [],
  )
  return [...own, ...deeper]
}

/** Every malformed body for an endpoint that takes `sample`; `schema` (OpenAPI) names what is required. */
function badBodies(sample: Json, schema?: Schema, resolve: (s: Schema) => Schema = (s) => s): Body[] {
  const bodies: Body[] = [
    { name: 'invalid JSON', raw: '{"a": 1' },
    { name: 'single-quoted JSON', raw: "{'a': 1}" },
    { name: 'null', raw: 'null' },
    { name: '[]', raw: '[]' },
    { name: '{}', raw: '{}' },
    { name: 'a string', raw: '"abc"' },
    { name: 'a number', raw: '42' },
    { name: 'a bare NUL byte', raw: '\u0000' },
    { name: 'nesting 1,000 deep', raw: JSON.stringify(deeplyNested(1000)) },
    { name: 'an array of 100,000 items', raw: JSON.stringify(Array.from({ length: 100_000 }, () => 1)) },
  ]
  const name = (p: Path) => p.join('.')
  for (const p of requiredPaths(schema, sample, resolve))
    bodies.push({ name: `{${name(p)}: dropped}`, raw: JSON.stringify(replaced(sample, p, undefined)) })
  for (const p of pathsOf(sample)) {
    const original = at(sample, p)
    for (const [type, value] of Object.entries(OF_EACH_TYPE))
      if (type !== kindOf(original))
        bodies.push({
          name: `{${name(p)}: ${type} instead of ${kindOf(original)}}`,
          raw: JSON.stringify(replaced(sample, p, value)),
        })
    bodies.push({ name: `{${name(p)}: null}`, raw: JSON.stringify(replaced(sample, p, null)) })
    if (typeof original === 'string') {
      bodies.push({ name: `{${name(p)}: a NUL byte}`, raw: JSON.stringify(replaced(sample, p, `a\u0000b`)) })
      bodies.push({ name: `{${name(p)}: 300,000 characters}`, raw: JSON.stringify(replaced(sample, p, OVERSIZED)) })
    }
    if (Array.isArray(original))
      bodies.push({
        name: `{${name(p)}: 100,000 items}`,
        raw: JSON.stringify(
          replaced(
            sample,
            p,
            Array.from({ length: 100_000 }, () => original[0] ?? 'x'),
          ),
        ),
      })
    if (original !== null && typeof original === 'object')
      bodies.push({
        name: `{${name(p)}: nesting 1,000 deep}`,
        raw: JSON.stringify(replaced(sample, p, deeplyNested(1000))),
      })
  }
  return bodies
}

// ---------------------------------------------------------------------------------------------------
// The API

interface Endpoint {
  method: string
  path: string
  headers: Record<string, string>
  sample: Json
  schema?: Schema
  /** Answers a body may get that are not refusals because the body is a real request (an empty claim waits). */
  accepts?: (body: Body, status: number) => boolean
  sign?: (raw: string) => Record<string, string>
  idempotent?: boolean
  /** Follows the OpenAPI document's $refs. */
  resolve?: (s: Schema) => Schema
  /** Bodies (by name) that are real requests, each with why. */
  allowed?: Record<string, string>
}

const endpoints: Endpoint[] = []
const openApiOperations: string[] = []

describe('bad input answers 4xx with a message and changes nothing (issue 24)', () => {
  let params: Record<string, string>
  /** Who posts the forms: the two admins first, then the people whose pages the admins may not act on. */
  const actors: { role: Role; orgSlug: string; client: HttpClient; email: string; password: string }[] = []

  beforeAll(async () => {
    const c = await signedContractFor(hybridTerms())
    const partner = c.partner
    const ggml = await ggmlOrganization()
    const contributor = await createOrganization('contributor', unique('gh-dev'))
    const people: [Role, string, string][] = [
      ['partner_admin', partner.id, partner.slug],
      ['ggml_admin', ggml.id, partner.slug],
      ['finance', ggml.id, partner.slug],
      ['services_lead', ggml.id, partner.slug],
      ['consultant', ggml.id, partner.slug],
      ['learner', partner.id, partner.slug],
      ['contributor', contributor.id, contributor.slug],
    ]
    const users = new Map<Role, Awaited<ReturnType<typeof createUser>>>()
    for (const [role, orgId, orgSlug] of people) {
      const u = await createUser(orgId, role)
      users.set(role, u)
      const client = new HttpClient(server.url)
      await client.signIn(u.email, u.password)
      actors.push({ role, orgSlug, client, email: u.email, password: u.password })
    }
    const admin = users.get('partner_admin')!

    // Real resources for the forms' URL parameters: an exam mid-attempt, an engagement, a SAML connection.
    const training = await examFixture()
    const learner = users.get('learner')!
    await giveVoucher(partner.id, learner.id, training.exam.id)
    const attempt = await startAttempt(await scopeFor(learner.id, partner.id, 'training.learn'), {
      examSlug: training.exam.slug,
    })
    const lead = users.get('services_lead')!
    const engagement = await db().engagement.create({
      data: {
        id: newId(),
        organizationId: partner.id,
        title: 'Porting engagement',
        type: 'time_and_materials',
        currency: 'USD',
        startsOn: new Date('2027-01-04'),
        leadId: lead.id,
        budgetMinutes: 6000,
        budgetMinor: 2_000_000n,
        status: 'active',
        createdById: lead.id,
        members: { create: [{ userId: lead.id, rateRole: 'engineer', costRateMinor: 9000n }] },
      },
    })

    // Credentials with the scopes each call needs, so every body reaches validation.
    const reportsToken = (
      await createApiToken(await scopeFor(admin.id, partner.id, 'api_tokens.create'), {
        name: 'ERP',
        scopes: ['reports:write', 'reports:read'],
      })
    ).secret
    const runnerTokens = await scopeFor(admin.id, partner.id, 'runner_tokens.create')
    const publicKey = () => generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString()
    const registered = await postToRunnerApi(server.url, '/api/runner/v1/register', {
      token: await createRunnerToken(runnerTokens),
      name: 'lab box',
      publicKey: publicKey(),
      fingerprint: sampleFingerprint(),
    })
    const runnerSecret = ((await registered.json()) as { secret: string }).secret
    const cloudToken = unique('cloud-token')
    registerLocalCloudToken(cloudToken)

    const enterprise = await createOrganization('enterprise', unique('Scim Corp'))
    const domain = await verifiedDomain(enterprise.id)
    const enterpriseAdmin = await createUser(enterprise.id, 'partner_admin')
    const ssoScope = await scopeFor(enterpriseAdmin.id, enterprise.id, 'sso.configure')
    const scimSecret = (await createScimToken(ssoScope, { name: 'Okta' })).secret
    const connection = await saveSamlConnection(ssoScope, {
      name: 'Okta',
      metadata: idpMetadata('https://idp.bad-input.example', 'https://idp.bad-input.example/sso', [idpKeys().cert]),
      defaultRole: 'partner_engineer',
      groupRoles: 'Finance = partner_finance',
    })
    const scimHeaders = { Authorization: `Bearer ${scimSecret}`, 'Content-Type': 'application/scim+json' }
    const scimUser = (email: string): Json => ({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: email,
      name: { givenName: 'Kim', familyName: 'Lee' },
      emails: [{ primary: true, value: email, type: 'work' }],
      displayName: 'Kim Lee',
      externalId: 'okta-1',
      active: true,
    })
    const scimCreate = async (path: string, body: Json) => {
      const res = await fetch(`${server.url}/scim/v2${path}`, {
        method: 'POST',
        headers: scimHeaders,
        body: JSON.stringify(body),
      })
      if (res.status !== 201) throw new Error(`SCIM ${path} answered ${res.status}: ${await res.text()}`)
      return ((await res.json()) as { id: string }).id
    }
    const userEmail = `${unique('kim')}@${domain}`
    const scimUserId = await scimCreate('/Users', scimUser(userEmail))
    const group = (name: string): Json => ({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName: name,
      members: [{ value: scimUserId }],
    })
    const scimGroupId = await scimCreate('/Groups', group('Finance'))
    const patchOp = (path: string, value: Json): Json => ({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', path, value }],
    })

    // The API as the app documents it: every operation that takes a body, and every runner call.
    const doc = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema?: Schema }> } }>>
      components: { schemas: Record<string, Schema> }
    }
    const resolve = (s: Schema): Schema => (s.$ref ? resolve(doc.components.schemas[s.$ref.split('/').pop()!]!) : s)
    const json = { 'Content-Type': 'application/json' }
    const bearer = (secret: string) => ({ ...json, Authorization: `Bearer ${secret}` })
    // Working bodies, each the documented shape with values this database knows.
    const samples: Record<string, Pick<Endpoint, 'headers' | 'sample' | 'idempotent' | 'accepts' | 'allowed'>> = {
      '/api/v1/reports': {
        headers: bearer(reportsToken),
        // Free-text columns: a model or region named by a number is a real one (JSON cells are read as CSV cells).
        allowed: {
          '{lines.0.device_model: number instead of string}': 'a device model may be a number',
          '{lines.0.region: number instead of string}': 'a region is the partner’s own name, mapped (report-lines.ts)',
        },
        sample: {
          contractId: c.contract.id,
          period: '2028-Q1',
          lines: [{ device_model: 'A-1', device_class: 'smartphone', price_band: 'Entry', region: 'EU', units: 5 }],
        },
      },
      '/api/v1/credits/usage': {
        headers: bearer(cloudToken),
        sample: {
          account: contributor.slug,
          category: CATEGORIES[0]!,
          amount: '1.00',
          occurredAt: '2028-03-01T00:00:00Z',
        },
        idempotent: true,
      },
      '/api/runner/v1/register': {
        headers: json,
        // A token nobody issued: the body is checked before the token is spent.
        sample: {
          token: 'ggml_rt_nobody',
          name: 'box',
          publicKey: publicKey(),
          fingerprint: sampleFingerprint() as Json,
        },
      },
      '/api/runner/v1/claim': {
        headers: bearer(runnerSecret),
        sample: { models: ['0'.repeat(64)], waitSeconds: 0 },
        // A claim that names no models and no wait is a real one: there is no job for it.
        accepts: (b, status) => status === 204 && ['{}'].includes(b.raw),
      },
    }
    const jobId = newId()
    for (const [path, ops] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(ops)) {
        if (method === 'parameters' || (!op.requestBody && !path.startsWith('/api/runner/'))) continue
        openApiOperations.push(`${method.toUpperCase()} ${path}`)
        const known = samples[path]
        const schema = op.requestBody?.content['application/json']?.schema
        endpoints.push({
          method: method.toUpperCase(),
          path: path.replace('{jobId}', jobId).replace('{challengeId}', newId()),
          headers: known?.headers ?? bearer(runnerSecret),
          sample: known?.sample ?? { models: ['0'.repeat(64)], progress: 'measuring' },
          schema,
          idempotent: known?.idempotent,
          accepts: known?.accepts,
          allowed: known?.allowed,
        })
      }
    // Not in the document: SCIM and the inbound webhooks.
    const scimUserEndpoints: Endpoint[] = [
      { method: 'POST', path: '/scim/v2/Users', headers: scimHeaders, sample: scimUser(`new@${domain}`) },
      { method: 'PUT', path: `/scim/v2/Users/${scimUserId}`, headers: scimHeaders, sample: scimUser(userEmail) },
      {
        method: 'PATCH',
        path: `/scim/v2/Users/${scimUserId}`,
        headers: scimHeaders,
        sample: patchOp('displayName', 'Kim Lee'),
      },
      { method: 'POST', path: '/scim/v2/Groups', headers: scimHeaders, sample: group('Admins') },
      { method: 'PUT', path: `/scim/v2/Groups/${scimGroupId}`, headers: scimHeaders, sample: group('Finance') },
      {
        method: 'PATCH',
        path: `/scim/v2/Groups/${scimGroupId}`,
        headers: scimHeaders,
        sample: patchOp('displayName', 'Finance'),
      },
    ]
    const docusign = await bootLocalDocuSign({ connectUrl: `${server.url}/webhooks/docusign` })
    afterAll(() => docusign.close())
    const hmacKey = docusignConfig().hmacKeys[0]!
    const stripeEvent: Json = {
      id: 'evt_bad_input',
      object: 'event',
      type: 'invoice.paid',
      data: { object: { object: 'invoice', id: 'in_bad_input' } },
    }
    endpoints.push(
      ...scimUserEndpoints,
      {
        method: 'POST',
        path: '/webhooks/stripe',
        headers: json,
        sample: stripeEvent,
        sign: (raw) => ({ 'Stripe-Signature': stripeSignature(stripeWebhookSecret(), raw) }),
      },
      {
        method: 'POST',
        path: '/webhooks/stripe (forged signature)',
        headers: json,
        sample: stripeEvent,
        sign: (raw) => ({ 'Stripe-Signature': stripeSignature('whsec_not_ours', raw) }),
      },
      {
        method: 'POST',
        path: '/webhooks/docusign',
        headers: json,
        sample: { event: 'envelope-completed', data: { envelopeId: 'env-bad-input' } },
        sign: (raw) => ({ 'X-DocuSign-Signature-1': connectSignature(hmacKey, raw) }),
      },
      {
        method: 'POST',
        path: '/webhooks/docusign (forged signature)',
        headers: json,
        sample: { event: 'envelope-completed', data: { envelopeId: 'env-bad-input' } },
        sign: (raw) => ({ 'X-DocuSign-Signature-1': connectSignature('not-our-key', raw) }),
      },
    )
    for (const e of endpoints) e.resolve = resolve

    params = {
      slug: training.exam.slug,
      examSlug: training.exam.slug,
      courseSlug: training.course.slug,
      attemptId: attempt.id,
      engagementId: engagement.id,
      connectionId: connection.id,
      contractId: c.contract.id,
      period: '2028-Q1',
      year: '2028',
      token: 'no-such-token',
    }
  }, 120_000)

  it('walks every API operation that takes a body', () => {
    expect(openApiOperations).toEqual(
      expect.arrayContaining(['POST /api/v1/reports', 'POST /api/v1/credits/usage', 'POST /api/runner/v1/register']),
    )
    expect(endpoints.length).toBeGreaterThanOrEqual(18)
  })

  it(
    'answers every malformed API body with a 4xx and a message, and keeps every row',
    { timeout: 120_000 },
    async () => {
      const failures: Failure[] = []
      let sent = 0
      for (const e of endpoints) {
        const url = `${server.url}${e.path.replace(/ \(.*\)$/, '')}`
        const before = await rowCounts()
        const accepted: string[] = []
        const bodies = badBodies(e.sample, e.schema, e.resolve).filter((b) => !e.allowed?.[b.name])
        sent += bodies.length
        await inParallel(bodies, PARALLEL, async (b) => {
          const what = `${e.method} ${e.path} with ${b.name}`
          const res = await send(url, {
            method: e.method,
            headers: { ...e.headers, ...e.sign?.(b.raw), ...(e.idempotent && { 'Idempotency-Key': unique('bad') }) },
            body: b.raw,
          })
          if ('hung' in res) failures.push(`${what}: ${res.hung}`)
          else if (e.accepts?.(b, res.status)) return
          else if (res.status >= 500) failures.push(`${what} answered ${res.status}: ${show(res.text)}`)
          else if (res.status < 400) {
            failures.push(`${what} was accepted (${res.status}): ${show(res.text)}`)
            accepted.push(b.name)
          } else if (!messageOf(res.text))
            failures.push(`${what} answered ${res.status} without a message: ${show(res.text)}`)
        })
        const changed = moved(before, await rowCounts())
        if (changed.length)
          failures.push(
            `${e.method} ${e.path}'s bodies changed the database: ${changed.join(', ')} ` +
              `(accepted: ${accepted.join('; ') || 'none'})`,
          )
      }
      console.info(`bad-input: ${endpoints.length} API endpoints, ${sent} bodies`)
      expect(failures).toEqual([])
    },
  )

  it('answers every malformed form post with no 5xx, and keeps every row', { timeout: 180_000 }, async () => {
    const build = (await import(`${process.cwd()}/build/server/index.js`)) as {
      routes: Record<
        string,
        { id: string; parentId?: string; path?: string; index?: boolean; module: { action?: unknown } }
      >
    }
    const fullPath = (id: string): string => {
      const r = build.routes[id]!
      const own = r.path ?? ''
      const parent = r.parentId ? fullPath(r.parentId) : ''
      return own ? `${parent.replace(/\/$/, '')}/${own}` : parent
    }
    const isMachine = (p: string) => /^\/(api|scim|webhooks)\//.test(p)
    const forms = Object.values(build.routes)
      .filter((r) => r.module.action && !SKIPPED_FORMS[r.id])
      .map((r) => ({ id: r.id, path: fullPath(r.id) || '/', index: r.index }))
      .filter((r) => !isMachine(r.path))
    expect(forms.length).toBeGreaterThanOrEqual(40)

    const failures: Failure[] = []
    const urlOf = (route: (typeof forms)[number], a: (typeof actors)[number]) =>
      route.path
        .replace(/\/\*$/, '/x')
        .replace(/:(\w+)\??/g, (_, p: string) =>
          encodeURIComponent(p === 'orgSlug' ? a.orgSlug : (params[p] ?? newId())),
        ) + (route.index ? '?index' : '')
    const sourceOf = (id: string) =>
      ['tsx', 'ts']
        .map((x) => `app/${id}.${x}`)
        .filter(existsSync)
        .map((f) => readFileSync(f, 'utf8'))
        .join('\n')
    let posts = 0
    const statuses: Record<number, number> = {}
    const unreached: string[] = []
    for (const route of forms) {
      // Posted as the (at most two) people whose page it is, so the posts get past the permission check.
      const opens = await Promise.all(
        actors.map((a) =>
          send(`${server.url}${dataUrlOf(urlOf(route, a))}`, { headers: { Cookie: cookiesOf(a.client) } }),
        ),
      )
      const posters = actors.filter((_, i) => 'status' in opens[i]! && opens[i].status === 200).slice(0, 2)
      if (!posters.length) unreached.push(route.path)
      for (const a of posters.length ? posters : actors.slice(0, 2)) {
        const url = urlOf(route, a)
        const page = await send(`${server.url}${url}`, { headers: { Cookie: cookiesOf(a.client) } })
        const vocabulary = vocabularyOf('text' in page ? page.text : '', sourceOf(route.id))
        const intents = vocabulary.intents.filter((i) => !NO_INPUT_INTENTS[route.id]?.[i])
        const fields = vocabulary.fields.length ? vocabulary.fields : ['name']
        // The first two as a browser without JavaScript posts (the page re-rendered with the error); the
        // rest as React Router's fetch does (.data: the action's answer alone, no page to render), to keep
        // the walk within a minute.
        const bodies: { name: string; pairs: [string, string][]; page?: boolean }[] = [
          { name: 'an empty form', pairs: [], page: true },
          { name: 'an unknown intent', pairs: [['intent', 'no-such-intent']], page: true },
        ]
        for (const intent of [undefined, ...intents])
          for (const [label, value] of [
            ['"abc"', 'abc'],
            ['"-1"', '-1'],
            ['10,000 characters', 'z'.repeat(10_000)],
            ['a NUL byte', 'a\u0000b'],
          ] as const)
            bodies.push({
              name: `${intent ? `intent=${intent}, ` : ''}every field ${label}`,
              pairs: [
                ...(intent ? [['intent', intent] as [string, string]] : []),
                ...fields.map((f): [string, string] => [f, value]),
              ],
            })
        const countsBefore = await rowCounts()
        const redirected: string[] = []
        await inParallel(bodies, PARALLEL, async (b) => {
          const what = `${a.role} POST ${url} with ${b.name}`
          const res = await send(`${server.url}${b.page ? url : dataUrlOf(url)}`, {
            method: 'POST',
            headers: {
              Cookie: cookiesOf(a.client),
              'Content-Type': 'application/x-www-form-urlencoded',
              Origin: server.url,
            },
            body: new URLSearchParams([['csrf', a.client.csrfToken()], ...b.pairs]),
          })
          posts++
          if ('status' in res) statuses[res.status] = (statuses[res.status] ?? 0) + 1
          if ('hung' in res) failures.push(`${what}: ${res.hung}`)
          else if (res.status >= 500)
            failures.push(`${what} answered ${res.status}: ${show(res.text.replace(/\s+/g, ' '))}`)
          else if (res.status < 400) redirected.push(`${b.name} (${res.status})`)
        })
        const changed = moved(countsBefore, await rowCounts(), FREE_TEXT[route.id])
        if (changed.length)
          failures.push(
            `${a.role} POST ${url} changed the database: ${changed.join(', ')} ` +
              `(answered < 400: ${redirected.join('; ')})`,
          )
        // A case that signed the actor out (or took its membership) must not blind the rest of the walk.
        const still = await send(`${server.url}/account`, { headers: { Cookie: cookiesOf(a.client) } })
        if (!('status' in still) || still.status !== 200) await a.client.signIn(a.email, a.password)
      }
    }
    console.info(`bad-input: no one may open ${unreached.join(', ')}`)
    console.info(`bad-input: ${forms.length} form actions, ${posts} posts, answers ${JSON.stringify(statuses)}`)
    expect(failures).toEqual([])
  })
})

/** Where React Router's client posts a form: the action's answer as data, without the page. */
const dataUrlOf = (url: string) =>
  url.startsWith('/?') || url === '/' ? url.replace('/', '/_root.data') : url.replace(/\?|$/, '.data$&')

function cookiesOf(client: HttpClient): string {
  return ['__session', '__csrf'].flatMap((n) => (client.cookie(n) ? [`${n}=${client.cookie(n)}`] : [])).join('; ')
}
