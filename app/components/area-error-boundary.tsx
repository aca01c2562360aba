import { isRouteErrorResponse, Link, useRouteError } from 'react-router'

const titles: Record<number, string> = {
  401: 'Sign in to see this page',
  403: 'You do not have access to this page',
  404: 'This page does not exist',
  409: 'This cannot be done now',
  503: 'We will be back in a moment',
}

/**
 * What a failing page shows inside its area (issue 27): the navigation stays, so the person moves on
 * from where they are. Only the platform's own messages are shown, never a stack trace or React
 * Router's developer text ("No route matches…"); the error itself is logged on the server.
 */
export function AreaErrorBoundary({ area, home }: { area: string; home: string }) {
  const error = useRouteError()
  const status = isRouteErrorResponse(error) ? error.status : 500
  // React Router's own responses carry "Error: …" developer text; the platform's messages never do.
  const ours =
    isRouteErrorResponse(error) &&
    !(error as { internal?: boolean }).internal &&
    typeof error.data === 'string' &&
    error.data.length > 0 &&
    error.data.length < 500 &&
    !error.data.startsWith('Error: ')
  const message = ours
    ? (error.data as string)
    : status === 404
      ? 'The link may be mistyped, or the page has moved. Nothing you did was lost.'
      : 'Something went wrong on our side. It has been logged, and trying again in a minute usually works.'
  return (
    <div className="error-page area-error">
      <p className="error-status">Error {status}</p>
      <h1>{titles[status] ?? 'Something went wrong'}</h1>
      <p role="alert">{message}</p>
      <p className="audience-actions">
        <Link className="btn btn-primary" to={home}>
          Back to {area}
        </Link>
      </p>
    </div>
  )
}
