import { Outlet } from 'react-router'
import { AreaErrorBoundary } from '#app/components/area-error-boundary.tsx'

// The inbox area's pages; a page that fails shows its error here, inside the app's navigation (issue 27).
// The way out is the start page: a role that approves nothing is refused the inbox itself.
export default function InboxArea() {
  return <Outlet />
}

export function ErrorBoundary() {
  return <AreaErrorBoundary area="your start page" home="/" />
}
