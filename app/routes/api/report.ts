import type { Route } from './+types/report'
import { apiAttempt } from '#app/lib/api.server.ts'
import { getReportDetail } from '#services/royalties/report-queries.ts'
import { apiTokenScope } from '#services/tenancy/tenant-guard.ts'

/** GET /api/v1/reports/:reportId: the report, its charges and their traces, its postings. */
export async function loader({ request, params }: Route.LoaderArgs) {
  return apiAttempt(async () => {
    const scope = await apiTokenScope(request.headers.get('Authorization'), 'reports:read')
    return Response.json(await getReportDetail(scope, params.reportId))
  })
}
