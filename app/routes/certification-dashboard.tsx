import type { Route } from './+types/certification-dashboard'
import { AreaDashboard } from '../components/area-dashboard.tsx'
import { requireStaff } from '../lib/session.server.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Certification · GGML Platform' }]

export async function loader({ context, request }: Route.LoaderArgs) {
  requireStaff(context, request, 'certification.view')
  return null
}

export default function Dashboard() {
  return <AreaDashboard title="Certification" intro="Hardware certification requests, runner results and badges." coming={['Certification requests and runners', 'Result review and approval', 'Powered by GGML badges and their public log']} />
}
