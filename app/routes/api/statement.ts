import type { Route } from './+types/statement'
import { apiAttempt } from '#app/lib/api.server.ts'
import { readStatementPage } from '#services/partner-api/read-statement-page.ts'
import { apiTokenScope } from '#services/tenancy/tenant-guard.ts'

/** GET /api/v1/statements/:period?cursor=&limit=: the period's totals and a page of its bookings. */
export async function loader({ request, params }: Route.LoaderArgs) {
  return apiAttempt(async () => {
    const scope = await apiTokenScope(request.headers.get('Authorization'), 'statements:read')
    const query = Object.fromEntries(new URL(request.url).searchParams)
    return Response.json(await readStatementPage(scope, params.period, query))
  })
}
