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
import { csrfProblem, newCsrfToken, readCsrfCookie, serializeCsrfCookie } from './lib/csrf.server.ts'
import { readSessionToken } from './lib/session.server.ts'
import { actorFromSessionToken } from '#services/identity/sessions.ts'
import stylesHref from './styles/app.css?url'

export const links: Route.LinksFunction = () => [{ rel: 'stylesheet', href: stylesHref }]

// Runs for every document and data request: who is asking, and is a mutation really theirs.
const MAX_REQUEST_BYTES = 150_000_000

export const middleware: Route.MiddlewareFunction[] = [
  async ({ request, context }, next) => {
    // Refuse oversized uploads before reading a byte of them.
    if (Number(request.headers.get('Content-Length') ?? 0) > MAX_REQUEST_BYTES) {
      throw data(
        'The upload is larger than 150 MB. Split the report into several files, or send it through the reports API.',
        { status: 413 },
      )
    }
    const existing = await readCsrfCookie(request)
    // Webhooks authenticate by their signature and the API by bearer tokens (verified in their
    // routes), never by a browser's cookies, so they need no CSRF token.
    const path = new URL(request.url).pathname
    const notBrowser = path.startsWith('/webhooks/') || path.startsWith('/api/')
    if (!['GET', 'HEAD', 'OPTIONS'].includes(request.method) && !notBrowser) {
      const problem = await csrfProblem(request, existing)
      if (problem) throw data(problem, { status: 403 })
    }
    const token = existing ?? newCsrfToken()
    context.set(csrfContext, token)
    context.set(actorContext, await actorFromSessionToken(await readSessionToken(request)))
    const response = await next()
    if (!existing) response.headers.append('Set-Cookie', await serializeCsrfCookie(token))
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
        <ScrollRestoration />
        <Scripts />
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
