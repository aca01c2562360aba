import {
  data,
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteError,
  useRouteLoaderData,
} from 'react-router'
import type { Route } from './+types/root'
import { actorContext, csrfContext } from './lib/context.server.ts'
import { DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable } from '#services/platform/db/database-unavailable.ts'
import {
  csrfProblem,
  csrfTokenValid,
  maskCsrfToken,
  newCsrfToken,
  readCsrfCookie,
  serializeCsrfCookie,
} from './lib/csrf.server.ts'
import { readSessionToken } from './lib/session.server.ts'
import { actorFromSessionToken } from '#services/identity/sessions.ts'
import stylesHref from './styles/app.css?url'
import { useNonce } from './components/nonce.tsx'
import { PublicFrame } from './components/public-layout.tsx'

export const links: Route.LinksFunction = () => [
  { rel: 'stylesheet', href: stylesHref },
  // The mark in the browser's tab (public/favicon.svg); without it every page asked for a missing /favicon.ico.
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
]

// Webhooks authenticate by their signature, the API and SCIM by bearer tokens (verified in their routes),
// never by a browser's cookies.
const machinePath = (path: string) =>
  path.startsWith('/webhooks/') || path.startsWith('/api/') || path.startsWith('/scim/')

// Runs for every document and data request: who is asking, and is a mutation really theirs. Body
// size is bounded before this, while the body streams (server/request-handler.ts).
export const middleware: Route.MiddlewareFunction[] = [
  async ({ request, context }, next) => {
    const path = new URL(request.url).pathname
    // A NUL byte in a path names nothing we store (PostgreSQL text cannot hold one).
    if (decodeURIComponent(path.replaceAll(/%(?![0-9a-fA-F]{2})/g, '%25')).includes('\u0000'))
      throw data('Not found.', { status: 404 })
    // Machines (the API, webhooks, SCIM) authenticate in their routes by token or signature: no session to
    // look up, no CSRF cookie to verify or set (issue 31: per-request work a usage report does not need).
    if (machinePath(path)) {
      context.set(csrfContext, '')
      context.set(actorContext, null)
      return next()
    }
    const actor = await actorFromSessionToken(await readSessionToken(request)).catch((e: unknown) => {
      // An outage is not a bug of the page: 503 with Retry-After, not 500 (found by tests/fault, issue 24).
      if (isDatabaseUnavailable(e))
        throw data(DATABASE_UNAVAILABLE_MESSAGE, { status: 503, headers: { 'Retry-After': '5' } })
      throw e
    })
    const sessionId = actor?.sessionId ?? ''
    const existing = await readCsrfCookie(request)
    // The SAML assertion consumer is posted to by the identity provider's page, cross-site: the
    // response's signatures and its one-time InResponseTo authenticate it (services/sso).
    if (!['GET', 'HEAD', 'OPTIONS'].includes(request.method) && !/^\/sso\/[^/]+\/acs$/.test(path)) {
      const problem = await csrfProblem(request, existing, sessionId)
      if (problem) throw data(problem, { status: 403 })
    }
    // A token issued before sign-in (or for another session) no longer verifies: issue a fresh one.
    const current = csrfTokenValid(existing, sessionId) ? existing : undefined
    const token = current ?? newCsrfToken(sessionId)
    context.set(csrfContext, token)
    context.set(actorContext, actor)
    const response = await next()
    if (!current) response.headers.append('Set-Cookie', await serializeCsrfCookie(token))
    return response
  },
]

export async function loader({ context }: Route.LoaderArgs) {
  const actor = context.get(actorContext)
  return {
    // Masked afresh for every response, so compressed pages never repeat it (BREACH, decision 042).
    csrf: maskCsrfToken(context.get(csrfContext)),
    user: actor ? { name: actor.name, email: actor.email } : null,
  }
}

export function Layout({ children }: { children: React.ReactNode }) {
  const nonce = useNonce()
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  )
}

export default function App() {
  return <Outlet />
}

export function useRootData() {
  return useRouteLoaderData<typeof loader>('root')
}

const errorTitles: Record<number, string> = {
  401: 'Sign in to see this page',
  403: 'You do not have access to this page',
  404: 'This page does not exist',
  503: 'We will be back in a moment',
}

// People read this page, so it speaks to them (issue 28): React Router's own texts ("No route matches
// URL …") and stack traces stay out of it, except the details in development.
export function ErrorBoundary() {
  const error = useRouteError()
  const signedIn = Boolean(useRootData()?.user)
  const status = isRouteErrorResponse(error) ? error.status : 500
  // React Router's own responses (no route, no action) carry "Error: …" developer text, and lose their
  // `internal` mark on the way to the browser; the platform's messages never start so.
  const ours =
    isRouteErrorResponse(error) &&
    !(error as { internal?: boolean }).internal &&
    !(typeof error.data === 'string' && error.data.startsWith('Error: '))
  const message =
    ours && typeof error.data === 'string' && error.data
      ? error.data
      : status === 404
        ? 'The link may be mistyped, or the page has moved. Nothing you did was lost.'
        : 'Something went wrong on our side. It has been logged, and trying again in a minute usually works.'
  const details =
    import.meta.env.DEV && error instanceof Error
      ? error.stack
      : import.meta.env.DEV && isRouteErrorResponse(error)
        ? String(error.data)
        : null
  const title = errorTitles[status] ?? 'Something went wrong'
  return (
    <PublicFrame signedIn={signedIn}>
      <title>{`${title} · ggml.ai`}</title>
      <div className="error-page">
        <p className="error-status">{status === 404 ? 'Error 404' : `Error ${status}`}</p>
        <h1>{title}</h1>
        <p role="alert">{message}</p>
        {/* The platform's one public search, so a lost visitor can look for what they came for. */}
        <form method="get" action="/certified" role="search" className="error-search">
          <label htmlFor="error-search">Search certified hardware</label>
          <span className="error-search-row">
            <input id="error-search" name="q" type="search" placeholder="Partner, product, model or CPU" />
            <button type="submit" className="btn btn-secondary">
              Search
            </button>
          </span>
        </form>
        <p className="audience-actions">
          <a className="btn btn-primary" href="/">
            {signedIn ? 'Back to your dashboard' : 'Go to the home page'}
          </a>
          <a className="btn btn-secondary" href="/certified">
            Certified hardware
          </a>
          <a className="btn btn-secondary" href="/learn">
            Courses
          </a>
          {!signedIn && (
            <a className="btn btn-secondary" href="/login">
              Sign in
            </a>
          )}
        </p>
        {details && (
          <details className="error-details">
            <summary>Details for developers</summary>
            <pre>{details}</pre>
          </details>
        )}
      </div>
    </PublicFrame>
  )
}
