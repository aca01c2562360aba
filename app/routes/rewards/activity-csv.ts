import type { Route } from './+types/activity-csv'
import { rethrowAsResponse } from '#app/lib/forms.server.ts'
import { requireTenant } from '#app/lib/tenant.server.ts'
import { activityCsv, contributorAccount } from '#services/credits/contributor-account.ts'

// /rewards/<account>/activity.csv: every grant, spend, expiry and revocation, for the contributor's records.
export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await requireTenant(context, request, params.orgSlug, 'rewards.view')
  const a = await contributorAccount(scope).catch(rethrowAsResponse)
  return new Response(activityCsv(a.activity), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="credits-${scope.organization.slug}.csv"`,
    },
  })
}
