import type { Route } from './+types/badges'
import { apiFromError } from '#app/lib/api.server.ts'
import { listBadgesPage } from '#services/partner-api/list-badges-page.ts'
import { apiTokenScope } from '#services/tenancy/tenant-guard.ts'

/** GET /api/v1/badges?cursor=&limit=: one page, newest first (badges:read). */
export async function loader({ request }: Route.LoaderArgs) {
  try {
    const scope = await apiTokenScope(request.headers.get('Authorization'), 'badges:read')
    return Response.json(await listBadgesPage(scope, Object.fromEntries(new URL(request.url).searchParams)))
  } catch (e) {
    return apiFromError(e)
  }
}
