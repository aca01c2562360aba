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
import { DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable } from '#services/db/database-unavailable.ts'
import { csrfProblem, csrfTokenValid, newCsrfToken, readCsrfCookie, serializeCsrfCookie } from './lib/csrf.server.ts'
import { readSessionToken } from './lib/session.server.ts'
import { actorFromSessionToken } from '#services/identity/sessions.ts'
import stylesHref from './styles/app.css?url'
import { useNonce } from './components/nonce.tsx'

export const links: Route.LinksFunction = () => [{ rel: 'stylesheet', href: stylesHref }]

// Runs for every document and data request: who is asking, and is a mutation really theirs. Body
// size is bounded before this, while the body streams (server/request-handler.ts).
export const middleware: Route.MiddlewareFunction[] = [
  async ({ request, context }, next) => {
    // A NUL byte in a path names nothing we store (PostgreSQL text cannot hold one).
    if (decodeURIComponent(new URL(request.url).pathname.replaceAll(/%(?![0-9a-fA-F]{2})/g, '%25')).includes('\u0000'))
      throw data('Not found.', { status: 404 })
    const actor = await actorFromSessionToken(await readSessionToken(request)).catch((e: unknown) => {
      // An outage is not a bug of the page: 503 with Retry-After, not 500 (found by tests/fault, issue 24).
      if (isDatabaseUnavailable(e))
        throw data(DATABASE_UNAVAILABLE_MESSAGE, { status: 503, headers: { 'Retry-After': '5' } })
      throw e
    })
    const sessionId = actor?.sessionId ?? ''
    const existing = await readCsrfCookie(request)
    // Webhooks authenticate by their signature and the API by bearer tokens (verified in their
    // routes), never by a browser's cookies, so they need no CSRF token.
    const path = new URL(request.url).pathname
    // The SAML assertion consumer is posted to by the identity provider's page, cross-site: the
    // response's signatures and its one-time InResponseTo authenticate it (services/sso).
    const notBrowser =
      path.startsWith('/webhooks/') ||
      path.startsWith('/api/') ||
      path.startsWith('/scim/') ||
      /^\/sso\/[^/]+\/acs$/.test(path)
    if (!['GET', 'HEAD', 'OPTIONS'].includes(request.method) && !notBrowser) {
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
    csrf: context.get(csrfContext),
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

export function ErrorBoundary() {
  const error = useRouteError()
  const status = isRouteErrorResponse(error) ? error.status : 500
  const message = isRouteErrorResponse(error)
    ? typeof error.data === 'string'
      ? error.data
      : error.statusText
    : 'Something went wrong on our side. The error has been logged.'
  return (
    <main id="main" className="centered">
      <div className="card narrow">
        <h1>{status === 404 ? 'Not found' : status === 403 ? 'No access' : 'Error'}</h1>
        <p role="alert">{message}</p>
        <p>
          <a href="/">Back to your dashboard</a>
        </p>
      </div>
    </main>
  )
}
