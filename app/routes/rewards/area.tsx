import { Outlet } from 'react-router'
import { AreaErrorBoundary } from '#app/components/area-error-boundary.tsx'

// The rewards area's pages; a page that fails shows its error here, inside the app's navigation (issue 27).
export default function RewardsArea() {
  return <Outlet />
}

export function ErrorBoundary() {
  return <AreaErrorBoundary area="Rewards" home="/rewards" />
}
