import { Outlet } from 'react-router'
import { AreaErrorBoundary } from '#app/components/area-error-boundary.tsx'

// The developers area's pages; a page that fails shows its error here, inside the app's navigation (issue 27).
export default function DevelopersArea() {
  return <Outlet />
}

export function ErrorBoundary() {
  return <AreaErrorBoundary area="the API reference" home="/developers/api" />
}
