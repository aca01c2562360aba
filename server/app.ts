import { randomUUID, timingSafeEqual } from 'node:crypto'
import zlib from 'node:zlib'
import compression from 'compression'
import express, { type Express, type Request as ExpressRequest, type Response as ExpressResponse } from 'express'
import type { ServerBuild } from 'react-router'
import type { ViteDevServer } from 'vite'
import { readSessionToken } from '../app/lib/session.server.ts'
import { env, isDeployment } from '../services/platform/config/env.ts'
import { checkHealth, webReady } from '../services/platform/health/check-health.ts'
import { actorFromSessionToken } from '../services/identity/sessions.ts'
import { logger } from '../services/platform/observability/logger.ts'
import { metrics } from '../services/platform/observability/metrics.ts'
import { runWithRequestContext } from '../services/platform/observability/request-context.ts'
import { createRequestHandler, type BodyLimit } from './request-handler.ts'
import { routeLabeler } from './route-label.ts'

type BuildSource = { build: ServerBuild } | { vite: ViteDevServer }

const MB = 1_000_000
const limits = {
  upload: {
    bytes: 150 * MB,
    // Not "split it": a second file for the same period is a restatement that replaces the first.
    message:
      'The upload is larger than 150 MB, the most one report may be. A report needs one line per device model, ' +
      'class, price band and region with its units summed, not one line per device: group the lines and upload again.',
  },
  apiUpload: {
    bytes: 150 * MB,
    message:
      'The upload is larger than 150 MB, the most one report may be. A report needs one line per device model, ' +
      'class, price band and region with its units summed: group the lines and send it again.',
    json: true,
  },
  // A JSON body is read and parsed whole, at several times its size in memory: only a CSV report streams.
  // 200,000 report lines (the most a report may have) fit in 25 MB of JSON (issue 24 attack review: one
  // 140 MB JSON report took a process from 345 MB to 2.3 GB before it was refused).
  apiJson: {
    bytes: 25 * MB,
    message:
      'A JSON body is limited to 25 MB (about 200,000 report lines). Send a larger report as text/csv, ' +
      'which streams: up to 150 MB.',
    json: true,
  },
  form: { bytes: 1 * MB, message: 'This form is larger than 1 MB. Attach large files as uploads, after signing in.' },
  // A signed-in person's form with files (photos, spec sheets, receipts, evidence, a GGUF header: each at most
  // 10 MB): the whole form is parsed in memory, so only the report upload may be larger.
  attachments: {
    bytes: 40 * MB,
    message: 'This form is larger than 40 MB: each attached file may be at most 10 MB.',
  },
  webhook: { bytes: 10 * MB, message: 'Webhook deliveries are limited to 10 MB.', json: true },
  // A runner's largest call is a signed result (records, samples, the proof's log-probabilities).
  runner: { bytes: 10 * MB, message: 'Runner calls are limited to 10 MB.', json: true },
  api: {
    bytes: 1 * MB,
    message: 'An API call without a token is limited to 1 MB. Send your API token as Authorization: Bearer ….',
    json: true,
  },
  // One user or group per call: far below this.
  scim: { bytes: 1 * MB, message: 'SCIM requests are limited to 1 MB.', json: true },
} satisfies Record<string, BodyLimit>

/**
 * How much body a request may send: only signed-in people (and API calls, whose token the route
 * checks before it reads a byte) may upload up to 150 MB; everyone else sends forms of 1 MB at most,
 * so nobody unauthenticated makes the server read a large body.
 */
const REPORT_UPLOAD = /^\/portal\/[^/]+\/reports\/?$/
const API_REPORTS = /^\/api\/v1\/reports\/?$/

async function bodyLimit(req: ExpressRequest): Promise<BodyLimit> {
  if (req.path.startsWith('/webhooks/')) return limits.webhook
  if (req.path.startsWith('/api/runner/')) return limits.runner
  if (req.path.startsWith('/scim/')) return limits.scim
  if ((req.get('content-type') ?? '').startsWith('application/x-www-form-urlencoded')) return limits.form
  // Machines get their refusals as JSON, with a message that speaks of the API, not of a form.
  if (req.path.startsWith('/api/')) {
    if (!/^Bearer\s+\S+$/i.test(req.get('authorization') ?? '')) return limits.api
    const csv = (req.get('content-type') ?? '').toLowerCase().startsWith('text/csv')
    return csv && API_REPORTS.test(req.path) ? limits.apiUpload : limits.apiJson
  }
  const declared = Number(req.get('content-length') ?? NaN)
  if (declared <= limits.form.bytes) return limits.form
  const token = await readSessionToken(new Request('http://x', { headers: { Cookie: req.get('cookie') ?? '' } }))
  if (!(await actorFromSessionToken(token))) return limits.form
  // Only the report upload streams its file to the database; any other page action reads its form into
  // memory, so 150 MB to any page would let anyone who can sign up exhaust a machine (issue 24 review).
  return REPORT_UPLOAD.test(req.path) ? limits.upload : limits.attachments
}

/** The client's address: the socket's, or what the configured proxy says (TRUST_PROXY). */
function clientIp(req: ExpressRequest): string | undefined {
  if (env().TRUST_PROXY === 'fly') return req.get('fly-client-ip') ?? req.socket.remoteAddress
  return req.ip
}

// A client's X-Request-Id is kept only when it looks like an id: it ends up in logs and the audit log.
const wellFormedRequestId = /^[A-Za-z0-9][A-Za-z0-9._:-]{7,99}$/

// Capability URLs carry their secret in the path; request logs must not keep it.
const capabilityPath = /^\/(reset-password|invitations|verify-email|certificates\/claim)\/[^/]+/
export const redactPath = (path: string): string => path.replace(capabilityPath, '/$1/[redacted]')

const loopback = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1'])

function metricsAllowed(req: ExpressRequest): boolean {
  const token = env().METRICS_TOKEN
  if (!token) return loopback.has(req.socket.remoteAddress ?? '')
  const given = Buffer.from(/^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1] ?? '')
  const expected = Buffer.from(token)
  return given.length === expected.length && timingSafeEqual(given, expected)
}

/**
 * /metrics alone, without a token, on METRICS_PORT: what a scraper on the private network reads (Fly's
 * [[metrics]] sends no Authorization header, so with METRICS_TOKEN set it got 401 on the public port).
 */
export function startMetricsListener(port: number) {
  const app = express()
  app.disable('x-powered-by')
  app.get('/metrics', async (_req, res) => {
    res.type(metrics().registry.contentType).send(await metrics().registry.metrics())
  })
  return app.listen(port)
}

/** /metrics for Prometheus, on the web and the worker alike: the bearer METRICS_TOKEN, or loopback when none. */
export async function serveMetrics(req: ExpressRequest, res: ExpressResponse): Promise<void> {
  if (!metricsAllowed(req)) {
    res
      .status(401)
      .set('www-authenticate', 'Bearer')
      .type('text/plain')
      .send('Send Authorization: Bearer <METRICS_TOKEN>.')
    return
  }
  res.type(metrics().registry.contentType).send(await metrics().registry.metrics())
}

export async function createApp(source: BuildSource): Promise<Express> {
  const app = express()
  app.disable('x-powered-by')
  const proxy = env().TRUST_PROXY
  app.set('trust proxy', proxy === 'none' || proxy === 'fly' ? false : proxy.split(',').map((p) => p.trim()))

  let labelRoute: (path: string) => string = () => 'unmatched'
  if ('build' in source) labelRoute = routeLabeler(source.build.routes)

  app.use((req, res, next) => {
    const given = req.get('x-request-id') ?? ''
    const requestId = wellFormedRequestId.test(given) ? given : randomUUID()
    res.setHeader('x-request-id', requestId)
    res.setHeader('x-content-type-options', 'nosniff')
    res.setHeader('referrer-policy', 'strict-origin-when-cross-origin')
    res.setHeader('x-frame-options', 'DENY')
    res.setHeader('cross-origin-opener-policy', 'same-origin')
    res.setHeader('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=()')
    if (isDeployment()) res.setHeader('strict-transport-security', 'max-age=31536000; includeSubDomains')
    const end = metrics().httpDuration.startTimer()
    const started = performance.now()
    const ip = clientIp(req)
    res.on('finish', () => {
      const expressRoute = (req.route as { path?: string } | undefined)?.path
      const route = req.path.startsWith('/assets/')
        ? '/assets'
        : typeof expressRoute === 'string' && !expressRoute.includes('*')
          ? expressRoute
          : labelRoute(req.path)
      end({ method: req.method, route, status: String(res.statusCode) })
      const ms = Math.round(performance.now() - started)
      runWithRequestContext({ requestId }, () =>
        logger().info({ method: req.method, path: redactPath(req.path), route, status: res.statusCode, ms }, 'request'),
      )
    })
    runWithRequestContext({ requestId, ip, userAgent: req.get('user-agent') }, next)
  })

  // Pages, data and scripts compressed (brotli where the browser takes it, else gzip): the client entry
  // is 219 kB raw. Level 4 of brotli costs about what gzip's default does (issue 28, issue 31). No page
  // defers data behind <Await>, so buffering by the compressor holds nothing back.
  // Pages carry no repeated secret for BREACH to read out of their sizes: the CSRF token is masked per response,
  // and a page showing a secret it cannot mask answers Cache-Control: no-transform, left uncompressed (decision 042).
  app.use(compression({ threshold: 1024, brotli: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } } }))

  // Liveness: the process answers (a supervisor restarts it when it does not). Readiness (and the older
  // /healthz): the database answers, so the proxy sends traffic elsewhere while it does not. Redis is
  // reported, not required (webReady).
  app.get('/livez', (_req, res) => {
    res.type('text/plain').send('ok')
  })
  app.get(['/readyz', '/healthz'], async (_req, res) => {
    const health = await checkHealth()
    const ok = webReady(health)
    res.status(ok ? 200 : 503).json({ ...health, ok })
  })
  app.get('/metrics', serveMetrics)

  if ('vite' in source) {
    app.use(source.vite.middlewares)
    app.all('/{*splat}', async (req, res, next) => {
      try {
        const build = (await source.vite.ssrLoadModule('virtual:react-router/server-build')) as ServerBuild
        return createRequestHandler({ build, bodyLimit })(req, res, next)
      } catch (err) {
        next(err)
      }
    })
  } else {
    app.use('/assets', express.static('build/client/assets', { immutable: true, maxAge: '1y' }))
    app.use(express.static('build/client', { maxAge: '1h' }))
    app.all('/{*splat}', createRequestHandler({ build: source.build, bodyLimit }))
  }
  return app
}
