import { Outlet } from 'react-router'
import { AreaErrorBoundary } from '#app/components/area-error-boundary.tsx'

// The learn area's pages; a page that fails shows its error here, inside the app's navigation (issue 27).
export default function LearnArea() {
  return <Outlet />
}

export function ErrorBoundary() {
  return <AreaErrorBoundary area="your dashboard" home="/" />
}
