import { randomBytes } from 'node:crypto'
import { PassThrough } from 'node:stream'
import { createReadableStreamFromReadable } from '@react-router/node'
import { isbot } from 'isbot'
import type { RenderToPipeableStreamOptions } from 'react-dom/server'
import { renderToPipeableStream } from 'react-dom/server'
import { isRouteErrorResponse, ServerRouter, type EntryContext } from 'react-router'
import { NonceProvider } from './components/nonce.tsx'
import { isDatabaseUnavailable } from '#services/platform/db/database-unavailable.ts'
import { logger } from '#services/platform/observability/logger.ts'
import { externalFormTargets } from './lib/csp.server.ts'

export const streamTimeout = 5_000

/** Requests whose loader lost the database (marked by handleError, which sees the error unsanitized). */
const outages = new WeakSet<Request>()

/**
 * Every page gets a nonce-based Content-Security-Policy: scripts run only with this response's nonce
 * (or from our own origin), nothing frames the platform, forms post only to it, and plugins and
 * <base> are off.
 */
function contentSecurityPolicy(nonce: string): string {
  const dev = process.env.NODE_ENV === 'development'
  // Forms that redirect on to a signing or payment page: browsers apply form-action to the redirect.
  const formTargets = [...externalFormTargets(), "'self'"].join(' ')
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self'${dev ? ' ws:' : ''}`,
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    `form-action ${formTargets}`,
  ].join('; ')
}

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  routerContext: EntryContext,
) {
  // A loader that lost the database is an outage, not a bug of the page: 503 with Retry-After, as the
  // session read already answers (root.tsx); the fault suite saw one page 500 during its 15 s outage.
  // In production the router hands this function sanitized errors, so handleError marks the request.
  const errors = Object.values(routerContext.staticHandlerContext.errors ?? {})
  if (responseStatusCode === 500 && (outages.has(request) || errors.some(isDatabaseUnavailable))) {
    responseStatusCode = 503
    responseHeaders.set('Retry-After', '5')
  }
  if (request.method.toUpperCase() === 'HEAD') {
    return new Response(null, { status: responseStatusCode, headers: responseHeaders })
  }
  const nonce = randomBytes(16).toString('base64')
  responseHeaders.set('Content-Security-Policy', contentSecurityPolicy(nonce))
  return new Promise((resolve, reject) => {
    let shellRendered = false
    const userAgent = request.headers.get('user-agent')
    const readyOption: keyof RenderToPipeableStreamOptions =
      (userAgent && isbot(userAgent)) || routerContext.isSpaMode ? 'onAllReady' : 'onShellReady'
    let timeoutId: ReturnType<typeof setTimeout> | undefined = setTimeout(() => abort(), streamTimeout + 1000)
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <ServerRouter context={routerContext} url={request.url} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        [readyOption]() {
          shellRendered = true
          const body = new PassThrough({
            final(callback) {
              clearTimeout(timeoutId)
              timeoutId = undefined
              callback()
            },
          })
          responseHeaders.set('Content-Type', 'text/html')
          pipe(body)
          resolve(
            new Response(createReadableStreamFromReadable(body), {
              headers: responseHeaders,
              status: responseStatusCode,
            }),
          )
        },
        onShellError(error: unknown) {
          reject(error)
        },
        onError(error: unknown) {
          responseStatusCode = 500
          if (shellRendered) logger().error({ err: error }, 'error while streaming a page')
        },
      },
    )
  })
}

/** Unexpected errors from loaders, actions and rendering: logged with the request id, never shown. */
export function handleError(error: unknown, { request }: { request: Request }) {
  // Aborted requests and route responses (a 404 for an unknown path) are not errors of ours.
  if (request.signal.aborted || isRouteErrorResponse(error)) return
  // A body cut off at its limit or for arriving too slowly (answered 413 or 408 already,
  // server/request-handler.ts) or by a client that left: the fault suite's oversized uploads each logged
  // an 'unexpected error' that would page someone.
  const name = (error as { name?: unknown } | null)?.name
  if (name === 'BodyTooLarge' || name === 'BodyTooSlow' || name === 'ClientGone') return
  if (isDatabaseUnavailable(error)) {
    outages.add(request)
    logger().warn({ err: error, path: new URL(request.url).pathname }, 'the database did not answer: 503')
    return
  }
  logger().error({ err: error, method: request.method, path: new URL(request.url).pathname }, 'unexpected error')
}
