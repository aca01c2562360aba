import type { Route } from './+types/dashboard'
import { AreaDashboard } from '#app/components/area-dashboard.tsx'
import { requireStaff } from '#app/lib/session.server.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Professional services · GGML Platform' }]

export async function loader({ context, request }: Route.LoaderArgs) {
  requireStaff(context, request, 'services.view')
  return null
}

export default function Dashboard() {
  return (
    <AreaDashboard
      title="Professional services"
      intro="Engagements, milestones and timesheets."
      coming={['Time-and-materials and fixed-price engagements', 'Timesheets and milestone invoicing']}
    />
  )
}
