import type { Route } from './+types/dashboard'
import { AreaDashboard } from '#app/components/area-dashboard.tsx'
import { requireAnywhere } from '#app/lib/session.server.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Contributor rewards · GGML Platform' }]

export async function loader({ context, request }: Route.LoaderArgs) {
  requireAnywhere(context, request, 'rewards.view')
  return null
}

export default function Dashboard() {
  return (
    <AreaDashboard
      title="Contributor rewards"
      intro="Yearly reward credits for open-source contributors, spent on GGML Cloud."
      coming={['Your credit grants', 'Spending on GGML Cloud', 'The credit ledger']}
    />
  )
}
