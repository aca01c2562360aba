import { z } from 'zod'
import { heldModelsSchema } from '#services/certification/job-specification.ts'
import { challengeClaimSchema } from '#services/certification/issue-challenge.ts'
import { registerSchema } from '#services/certification/register-runner.ts'
import { resultSchema } from '#services/certification/upload-result.ts'
import { usageSchema } from '#services/credits/record-usage.ts'
import { appErrorStatus } from '#services/platform/errors/app-error.ts'
import { pageQuerySchema } from '#services/partner-api/page-cursor.ts'
import {
  apiBadgeSchema,
  apiInvoiceSchema,
  apiReportSchema,
  apiStatementLineSchema,
  badgePageSchema,
  invoicePageSchema,
  reportPageSchema,
  statementPageSchema,
} from '#services/partner-api/schemas.ts'
import { reportJsonBodySchema } from '#services/royalties/report-json-body.ts'
import { webhookEnvelopeSchema, webhookEventTypes } from '#services/webhooks/webhook-events.ts'

// The OpenAPI 3.1 document of the public APIs (issue 32), built from the zod schemas the routes parse
// requests with and the partner API builds its answers with, so the contract cannot drift from the
// code unnoticed: tests/integration/api-contract.test.ts validates every answer against it.

type Json = Record<string, unknown>

/** Answers of the POST endpoints whose use cases return plain types: checked by the contract test. */
export const reportReceiptSchema = z.object({
  reportId: z.string(),
  revision: z.number().int().min(1),
  duplicate: z.boolean().describe('true when this Idempotency-Key or this exact content was filed before.'),
})
const usageResultSchema = z.object({
  usageId: z.string(),
  account: z.string(),
  category: z.string(),
  amount: z.string(),
  covered: z.string().describe('What the contributor’s credit lots paid (USD).'),
  uncovered: z.string().describe('What GGML Cloud bills the contributor (USD).'),
  draws: z.array(z.object({ lotId: z.string(), amount: z.string() })),
  replayed: z.boolean().describe('true when the Idempotency-Key was seen before: nothing was drawn again.'),
})
// Codes answered by the edge or one route, not by an AppError (request_timeout: server/request-handler.ts).
const edgeErrorCodes = ['invalid_report', 'method_not_allowed', 'request_timeout']
const errorSchema = z.object({
  error: z.looseObject({
    code: z.string().describe(`One of ${[...Object.keys(appErrorStatus), ...edgeErrorCodes].join(', ')}.`),
    message: z.string().describe('A sentence a person can act on.'),
    fields: z
      .union([z.record(z.string(), z.array(z.string())), z.array(z.object({ path: z.string(), message: z.string() }))])
      .optional()
      .describe('What is wrong with which input field.'),
  }),
})
const invalidReportSchema = z.object({
  error: z.object({
    code: z.literal('invalid_report'),
    message: z.string(),
    issueCount: z.number().int(),
    issues: z.array(z.object({ line: z.number().int(), field: z.string(), message: z.string() })),
  }),
})
const runnerClaimSchema = z.object({
  models: heldModelsSchema.optional().describe('The SHA-256 of each partner model file the runner holds.'),
  waitSeconds: z.number().min(0).max(3600).optional().describe('Long-poll: the server waits at most 25 s.'),
})
const runnerResultSchema = z.object({ result: resultSchema, signature: z.string().describe('Ed25519, base64.') })

const requests = {
  ReportBody: reportJsonBodySchema,
  UsageReport: usageSchema,
  RunnerRegistration: registerSchema,
  RunnerClaim: runnerClaimSchema,
  ChallengeClaim: challengeClaimSchema,
  RunnerResult: runnerResultSchema,
  WebhookEvent: webhookEnvelopeSchema,
} as const
const responses = {
  Error: errorSchema,
  InvalidReport: invalidReportSchema,
  ReportReceipt: reportReceiptSchema,
  UsageResult: usageResultSchema,
  Invoice: apiInvoiceSchema,
  InvoicePage: invoicePageSchema,
  Report: apiReportSchema,
  ReportPage: reportPageSchema,
  Badge: apiBadgeSchema,
  BadgePage: badgePageSchema,
  StatementLine: apiStatementLineSchema,
  StatementPage: statementPageSchema,
} as const

/** Component schemas from one registry, so a schema used twice is one `$ref`. */
function componentsOf(schemas: Record<string, z.ZodType>, io: 'input' | 'output', prefix = ''): Record<string, Json> {
  const registry = z.registry<{ id: string }>()
  for (const [id, schema] of Object.entries(schemas)) registry.add(schema, { id: prefix + id })
  const out = z.toJSONSchema(registry, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
    uri: (id) => `#/components/schemas/${id}`,
  }).schemas as Record<string, Json>
  // The document is the schema's home: no per-schema dialect or base URI inside components.
  for (const s of Object.values(out)) {
    delete s.$schema
    delete s.$id
  }
  return out
}

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` })
const json = (id: string, example?: unknown) => ({
  'application/json': { schema: ref(id), ...(example !== undefined && { example }) },
})
const errors = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((s) => [
      String(s),
      { description: errorDescriptions[s] ?? 'Refused.', content: json('Error', errorExamples[s]) },
    ]),
  )
const errorDescriptions: Record<number, string> = {
  400: 'Malformed request (bad JSON, missing header or query).',
  401: 'No token, or an unknown, revoked or expired one.',
  403: 'The token lacks the scope the call needs.',
  404: 'No such resource for this token’s organization.',
  405: 'Method not allowed.',
  408:
    'The body arrived too slowly (by default nothing for 15 s, or under 1,000 bytes a second after 10 s): ' +
    'nothing was stored; send it again.',
  409: 'Conflicts with the current state.',
  413: 'The body is too large.',
  422: 'Some fields are missing or invalid.',
  429: 'Too many requests: wait and retry.',
  503:
    'Temporarily unavailable (the database did not answer, or the server is busy receiving other reports): ' +
    'retry after Retry-After seconds with the same Idempotency-Key.',
}
const errorExamples: Record<number, unknown> = {
  401: { error: { code: 'unauthenticated', message: 'This API token is unknown or revoked.' } },
  403: { error: { code: 'forbidden', message: 'This API token lacks the invoices:read permission.' } },
  422: {
    error: {
      code: 'invalid_input',
      message: 'limit is a whole number from 1 to 100.',
      fields: { limit: ['A whole number from 1 to 100.'] },
    },
  },
}

const pageParameters = (() => {
  const schema = z.toJSONSchema(pageQuerySchema, { target: 'draft-2020-12', io: 'input' }) as {
    properties: Record<string, Json & { description?: string }>
  }
  return Object.entries(schema.properties).map(([name, s]) => {
    const { description, ...rest } = s
    return { name, in: 'query', required: false, description, schema: rest }
  })
})()

const idempotencyKey = (required: boolean) => ({
  name: 'Idempotency-Key',
  in: 'header',
  required,
  description:
    'Any string up to 200 characters, unique per logical request: a retry with the same key takes effect once ' +
    'and answers 200 with the first answer.',
  schema: { type: 'string', maxLength: 200 },
  example: '2027-Q1-v1',
})

const listOperation = (summary: string, scope: string, page: string, tag: string, example: unknown) => ({
  tags: [tag],
  summary,
  security: [{ apiToken: [scope] }],
  parameters: pageParameters,
  responses: {
    '200': { description: 'One page, newest first.', content: json(page, example) },
    ...errors(401, 403, 422),
  },
})

const invoiceExample = {
  id: 'inv_01J0EXAMPLE',
  number: 'GGML-2027-0042',
  description: 'Royalties 2027-Q1, contract C-2027-0007',
  status: 'open',
  currency: 'USD',
  amountDueMinor: '60000',
  amountPaidMinor: '0',
  amountRemainingMinor: '60000',
  issuedOn: '2027-04-03',
  dueOn: '2027-05-03',
  paidAt: null,
  reportId: 'rep_01J0EXAMPLE',
  hostedUrl: 'https://invoice.stripe.com/i/acct_1/test_123',
}
const reportExample = {
  id: 'rep_01J0EXAMPLE',
  contractId: 'con_01J0EXAMPLE',
  period: '2027-Q1',
  revision: 1,
  status: 'current',
  source: 'api',
  lineCount: 2,
  unitsTotal: '1010',
  revenueTotalMinor: '0',
  currency: 'USD',
  posted: true,
  receivedAt: '2027-04-02T09:30:00.000Z',
}
const badgeExample = {
  id: 'bdg_01J0EXAMPLE',
  requestId: 'crq_01J0EXAMPLE',
  productName: 'Edge Box 2',
  sku: 'EB2-16G',
  label: '7B-class Q4_0 · tg 41.8 t/s · pp 612 t/s',
  assurance: 'runner-verified',
  standing: 'in force',
  issuedAt: '2027-02-01T10:00:00.000Z',
  validUntil: '2028-02-01T10:00:00.000Z',
  revokedAt: null,
  url: 'https://partners.ggml.ai/badges/bdg_01J0EXAMPLE',
}
const statementExample = {
  period: '2027-Q1',
  from: '2027-01-01',
  to: '2027-04-01',
  accounts: [{ currency: 'USD', openingMinor: '0', chargesTotalMinor: '60000', closingMinor: '60000' }],
  data: [
    {
      currency: 'USD',
      postedOn: '2027-03-31',
      servicePeriod: '2027-Q1',
      kind: 'royalty',
      description: 'Royalties 2027-Q1',
      amountMinor: '60000',
    },
  ],
  nextCursor: null,
}

const runnerOperation = (summary: string, body: string | null, answer: string, status = '200') => ({
  tags: ['Runner'],
  summary,
  security: [{ runnerSecret: [] }],
  ...(body && { requestBody: { required: true, content: json(body) } }),
  responses: {
    [status]: { description: answer, content: { 'application/json': { schema: { type: 'object' } } } },
    ...errors(400, 401, 404, 409, 422),
  },
})

/**
 * Each operation's operationId: the method name a partner's generated client gets (openapi-generator and
 * the like name methods after it, and make up unstable names without it). Never rename one.
 */
const OPERATION_IDS: Record<string, string> = {
  'post /api/v1/reports': 'fileReport',
  'get /api/v1/reports': 'listReports',
  'get /api/v1/reports/{reportId}': 'getReport',
  'get /api/v1/invoices': 'listInvoices',
  'get /api/v1/statements/{period}': 'getStatement',
  'get /api/v1/badges': 'listBadges',
  'post /api/v1/credits/usage': 'reportCreditUsage',
  'post /api/runner/v1/register': 'registerRunner',
  'post /api/runner/v1/claim': 'claimJob',
  'post /api/runner/v1/jobs/{jobId}/heartbeat': 'renewJobLease',
  'post /api/runner/v1/jobs/{jobId}/challenge': 'requestChallenge',
  'post /api/runner/v1/jobs/{jobId}/challenge/{challengeId}/start': 'startChallenge',
  'post /api/runner/v1/jobs/{jobId}/challenge/{challengeId}/answer': 'answerChallenge',
  'post /api/runner/v1/jobs/{jobId}/result': 'uploadResult',
}

function withOperationIds<T extends { paths: Record<string, object> }>(doc: T): T {
  for (const [path, item] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(item)) {
      if (method === 'parameters') continue
      const operationId = OPERATION_IDS[`${method} ${path}`]
      if (!operationId) throw new Error(`OpenAPI: ${method} ${path} has no operationId`)
      Object.assign(op as object, { operationId })
    }
  return doc
}

/** The document served at /api/v1/openapi.json; `serverUrl` is where this deployment answers. */
export function openApiDocument(serverUrl: string) {
  const schemas = { ...componentsOf(requests, 'input'), ...componentsOf(responses, 'output') }
  return withOperationIds({
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'GGML partner platform API',
      version: '1.0.0',
      description:
        'File royalty reports and read invoices, statements, reports and certification badges with an API ' +
        'token; GGML Cloud reports contributor usage; certification runners speak the runner API. Every error ' +
        'answers `{ "error": { "code", "message", "fields"? } }`. Lists page with opaque cursors: pass ' +
        '`nextCursor` back as `?cursor=` until it is null.',
    },
    servers: [{ url: serverUrl }],
    tags: [
      { name: 'Reports', description: 'Royalty reports (reports:write, reports:read).' },
      { name: 'Invoices', description: 'Invoices issued to the partner (invoices:read).' },
      { name: 'Statements', description: 'Statements of account per period (statements:read).' },
      { name: 'Badges', description: 'Certification badges (badges:read).' },
      { name: 'Credits', description: 'GGML Cloud’s usage reports (service token).' },
      { name: 'Runner', description: 'The certification runner protocol (runner secret).' },
    ],
    paths: {
      '/api/v1/reports': {
        post: {
          tags: ['Reports'],
          summary: 'File a royalty report',
          description:
            'As JSON `{ contractId, period, lines }`, or as `text/csv` streamed with `?contractId=&period=` in ' +
            'the query. A report with problems posts nothing and answers 422 with every problem.',
          security: [{ apiToken: ['reports:write'] }],
          parameters: [
            idempotencyKey(false),
            {
              name: 'contractId',
              in: 'query',
              required: false,
              description: 'For text/csv bodies.',
              schema: { type: 'string' },
            },
            {
              name: 'period',
              in: 'query',
              required: false,
              description: 'For text/csv bodies: 2027-Q1 or 2027-03.',
              schema: { type: 'string' },
            },
            {
              name: 'restatement',
              in: 'query',
              required: false,
              description: 'For text/csv bodies.',
              schema: { type: 'string', enum: ['true', 'false'] },
            },
          ],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: ref('ReportBody'),
                example: {
                  contractId: 'con_01J0EXAMPLE',
                  period: '2027-Q1',
                  lines: [
                    {
                      device_model: 'A1',
                      device_class: 'smartphone',
                      price_band: 'Mainstream',
                      region: 'EU',
                      units: 1000,
                    },
                  ],
                },
              },
              'text/csv': {
                schema: { type: 'string' },
                example: 'device_model,device_class,price_band,region,units\nA1,smartphone,Mainstream,EU,1000\n',
              },
            },
          },
          responses: {
            '201': {
              description: 'Posted.',
              content: json('ReportReceipt', { reportId: 'rep_01J0EXAMPLE', revision: 1, duplicate: false }),
            },
            '200': {
              description: 'Filed before (same key or content): the first answer.',
              content: json('ReportReceipt'),
            },
            ...errors(400, 401, 403, 404, 408, 409, 413, 429),
            '422': { description: 'The report has problems; nothing was posted.', content: json('InvalidReport') },
            ...errors(503),
          },
        },
        get: listOperation('List reports', 'reports:read', 'ReportPage', 'Reports', {
          data: [reportExample],
          nextCursor: null,
        }),
      },
      '/api/v1/reports/{reportId}': {
        get: {
          tags: ['Reports'],
          summary: 'Read a report with its charges, their traces and its postings',
          security: [{ apiToken: ['reports:read'] }],
          parameters: [{ name: 'reportId', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '200': {
              description: 'The report.',
              content: { 'application/json': { schema: { type: 'object', required: ['id', 'period', 'charges'] } } },
            },
            ...errors(401, 403, 404),
          },
        },
      },
      '/api/v1/invoices': {
        get: listOperation('List invoices', 'invoices:read', 'InvoicePage', 'Invoices', {
          data: [invoiceExample],
          nextCursor: null,
        }),
      },
      '/api/v1/statements/{period}': {
        get: {
          ...listOperation(
            'Read a period’s statement',
            'statements:read',
            'StatementPage',
            'Statements',
            statementExample,
          ),
          parameters: [
            {
              name: 'period',
              in: 'path',
              required: true,
              description: 'A quarter (2027-Q1) or a month (2027-03).',
              schema: { type: 'string' },
              example: '2027-Q1',
            },
            ...pageParameters,
          ],
        },
      },
      '/api/v1/badges': {
        get: listOperation('List certification badges', 'badges:read', 'BadgePage', 'Badges', {
          data: [badgeExample],
          nextCursor: null,
        }),
      },
      '/api/v1/credits/usage': {
        post: {
          tags: ['Credits'],
          summary: 'Report a contributor’s usage',
          security: [{ cloudServiceToken: [] }],
          parameters: [idempotencyKey(true)],
          requestBody: {
            required: true,
            content: json('UsageReport', {
              account: 'gh-ada-dev0',
              category: 'inference',
              amount: '12.50',
              occurredAt: '2027-03-01T12:00:00Z',
            }),
          },
          responses: {
            '201': { description: 'Drawn from the contributor’s credits.', content: json('UsageResult') },
            '200': { description: 'Seen before: the first answer, nothing drawn again.', content: json('UsageResult') },
            ...errors(400, 401, 404, 409, 422, 503),
          },
        },
      },
      '/api/runner/v1/register': {
        post: {
          ...runnerOperation(
            'Register a runner with a one-time token',
            'RunnerRegistration',
            'The runner’s id and secret.',
            '201',
          ),
          security: [],
        },
      },
      '/api/runner/v1/claim': {
        post: {
          ...runnerOperation('Claim the next job (long-poll)', 'RunnerClaim', '`{ job }`: a job under a fresh lease.'),
          responses: {
            '200': {
              description: '`{ job }`: a job under a fresh lease.',
              content: { 'application/json': { schema: { type: 'object', required: ['job'] } } },
            },
            '204': { description: 'No job within the wait.' },
            ...errors(400, 401, 422),
          },
        },
      },
      '/api/runner/v1/jobs/{jobId}/heartbeat': {
        parameters: [{ name: 'jobId', in: 'path', required: true, schema: { type: 'string' } }],
        post: runnerOperation('Renew the job’s lease', null, '`{ leaseExpiresAt }`.'),
      },
      '/api/runner/v1/jobs/{jobId}/challenge': {
        parameters: [{ name: 'jobId', in: 'path', required: true, schema: { type: 'string' } }],
        post: runnerOperation(
          'Ask for a timed challenge at the claimed speeds',
          'ChallengeClaim',
          'The challenge’s size.',
          '201',
        ),
      },
      '/api/runner/v1/jobs/{jobId}/challenge/{challengeId}/start': {
        parameters: [
          { name: 'jobId', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'challengeId', in: 'path', required: true, schema: { type: 'string' } },
        ],
        post: runnerOperation('Start the challenge: the clock runs from here', null, '`{ nonce }`.'),
      },
      '/api/runner/v1/jobs/{jobId}/challenge/{challengeId}/answer': {
        parameters: [
          { name: 'jobId', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'challengeId', in: 'path', required: true, schema: { type: 'string' } },
        ],
        post: runnerOperation('Answer the challenge', null, 'Whether the answer passed, and how fast it came.'),
      },
      '/api/runner/v1/jobs/{jobId}/result': {
        parameters: [{ name: 'jobId', in: 'path', required: true, schema: { type: 'string' } }],
        post: runnerOperation(
          'Upload the signed result',
          'RunnerResult',
          '`{ resultId, accepted, verifying, checks, badgeId }`.',
        ),
      },
    },
    // What a partner's endpoint is sent (decision 025): POSTed, signed in GGML-Signature (docs/webhooks.md).
    webhooks: Object.fromEntries(
      webhookEventTypes.map((type) => [
        type,
        {
          post: {
            summary: `${type}, sent to the endpoints that take it`,
            parameters: [
              {
                name: 'GGML-Signature',
                in: 'header',
                required: true,
                description:
                  't=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body" with the endpoint secret>; for 24 h after a ' +
                  'rotation, a second v1 made with the previous secret: accept when any v1 matches',
                schema: { type: 'string' },
              },
              { name: 'GGML-Event-Id', in: 'header', required: true, schema: { type: 'string' } },
              { name: 'GGML-Event-Type', in: 'header', required: true, schema: { type: 'string', const: type } },
            ],
            requestBody: { required: true, content: json('WebhookEvent') },
            responses: { '200': { description: 'Any 2xx within 10 s; anything else is retried.' } },
          },
        },
      ]),
    ),
    components: {
      schemas,
      securitySchemes: {
        apiToken: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'ggml_pat_…',
          description:
            'An API token made by an organization admin on the portal’s API tokens page. Each operation names ' +
            'the scope it needs: reports:write, reports:read, invoices:read, statements:read, badges:read. ' +
            'Tokens expire after 30 to 365 days.',
        },
        cloudServiceToken: { type: 'http', scheme: 'bearer', description: 'GGML Cloud’s service token.' },
        runnerSecret: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'ggml_runner_…',
          description: 'The secret a runner received when it registered.',
        },
      },
    },
  })
}
