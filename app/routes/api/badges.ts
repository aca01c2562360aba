import type { Route } from './+types/badges'
import { apiAttempt } from '#app/lib/api.server.ts'
import { listBadgesPage } from '#services/partner-api/list-badges-page.ts'
import { apiTokenScope } from '#services/tenancy/tenant-guard.ts'

/** GET /api/v1/badges?cursor=&limit=: one page, newest first (badges:read). */
export async function loader({ request }: Route.LoaderArgs) {
  return apiAttempt(async () => {
    const scope = await apiTokenScope(request.headers.get('Authorization'), 'badges:read')
    return Response.json(await listBadgesPage(scope, Object.fromEntries(new URL(request.url).searchParams)))
  })
}
