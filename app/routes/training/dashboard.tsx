import type { Route } from './+types/dashboard'
import { AreaDashboard } from '#app/components/area-dashboard.tsx'
import { requireAnywhere } from '#app/lib/session.server.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Training · GGML Platform' }]

export async function loader({ context, request }: Route.LoaderArgs) {
  requireAnywhere(context, request, 'training.view')
  return null
}

export default function Dashboard() {
  return (
    <AreaDashboard
      title="Training"
      intro="Courses, certification exams and verifiable certificates."
      coming={['Courses and enrolments', 'Paid certification exams', 'Verifiable certificates']}
    />
  )
}
