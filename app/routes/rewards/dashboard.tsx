import { redirect } from 'react-router'
import type { Route } from './+types/dashboard'
import { AreaDashboard } from '#app/components/area-dashboard.tsx'
import { requireAnywhere } from '#app/lib/session.server.ts'
import { canAsStaff } from '#services/identity/actor.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Contributor rewards · GGML Platform' }]

// /rewards: staff who run the program go to it; a contributor goes to their own credits.
export async function loader({ context, request }: Route.LoaderArgs) {
  const actor = requireAnywhere(context, request, 'rewards.view')
  if (canAsStaff(actor, 'rewards.view_program')) throw redirect('/rewards/program')
  const own = actor.memberships.find((m) => m.organizationKind === 'contributor')
  if (own) throw redirect(`/rewards/${own.organizationSlug}`)
  return null
}

export default function Dashboard() {
  return (
    <AreaDashboard
      title="Contributor rewards"
      intro={
        'Yearly reward credits for the top open-source contributors to ggml, spent on GGML Cloud. ' +
        'When you are granted credits, an email invites you to your account.'
      }
      coming={[]}
    />
  )
}
