import type { Route } from './+types/invoices'
import { apiAttempt } from '#app/lib/api.server.ts'
import { listInvoicesPage } from '#services/partner-api/list-invoices-page.ts'
import { apiTokenScope } from '#services/tenancy/tenant-guard.ts'

/** GET /api/v1/invoices?cursor=&limit=: one page, newest first (invoices:read). */
export async function loader({ request }: Route.LoaderArgs) {
  return apiAttempt(async () => {
    const scope = await apiTokenScope(request.headers.get('Authorization'), 'invoices:read')
    return Response.json(await listInvoicesPage(scope, Object.fromEntries(new URL(request.url).searchParams)))
  })
}
