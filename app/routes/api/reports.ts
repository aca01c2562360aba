import type { Route } from './+types/reports'
import { apiAttempt, apiError, readJsonBody } from '#app/lib/api.server.ts'
import type { RawLine } from '#services/royalties/report-lines.ts'
import { receiveRoyaltyReport, type Received } from '#services/royalties/receive-royalty-report.ts'
import { withUploadSlot } from '#services/royalties/upload-slots.ts'
import { prepareReport } from '#services/royalties/prepare-report.ts'
import { apiTokenScope } from '#services/tenancy/tenant-guard.ts'
import { loadMappings } from '#services/royalties/report-mappings.ts'
import { reportJsonBodySchema } from '#services/royalties/report-json-body.ts'
import { listReportsPage } from '#services/partner-api/list-reports-page.ts'

/**
 * POST /api/v1/reports: a report as JSON ({ contractId, period, lines: [...] }) or as text/csv with
 * ?contractId=&period= in the query. An Idempotency-Key header makes retries safe.
 */
export async function action({ request }: Route.ActionArgs) {
  return apiAttempt(async () => {
    const scope = await apiTokenScope(request.headers.get('Authorization'), 'reports:write')
    const url = new URL(request.url)
    const idempotencyKey = request.headers.get('Idempotency-Key') ?? undefined
    if (idempotencyKey && idempotencyKey.length > 200)
      return apiError(400, 'invalid_input', 'The Idempotency-Key header is at most 200 characters.')
    const type = request.headers.get('Content-Type') ?? ''
    let received: Received
    if (type.startsWith('text/csv')) {
      const contractId = url.searchParams.get('contractId') ?? ''
      const period = url.searchParams.get('period') ?? ''
      if (!contractId || !period)
        return apiError(
          400,
          'invalid_input',
          'For a text/csv body, put the contract and period in the query: ?contractId=…&period=2027-Q1.',
        )
      if (!request.body) return apiError(400, 'invalid_input', 'The request has no body.')
      const prepared = await prepareReport(scope, contractId, period)
      const body = request.body
      received = await withUploadSlot(scope.organization.id, async () =>
        receiveRoyaltyReport(
          scope,
          prepared,
          { csv: body as unknown as AsyncIterable<Uint8Array> },
          { source: 'api', idempotencyKey, restatement: url.searchParams.get('restatement') === 'true' },
          await loadMappings(scope),
        ),
      )
    } else {
      // A JSON report is held in memory whole while it is read and parsed: it takes an upload slot too, so
      // one organization cannot make a process hold many at once (issue 24 attack review).
      const outcome = await withUploadSlot(scope.organization.id, async () => {
        const parsed = reportJsonBodySchema.safeParse(await readJsonBody(request))
        if (!parsed.success)
          return apiError(400, 'invalid_input', 'Send JSON { contractId, period, lines: [...] } or text/csv.', {
            fields: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
          })
        const prepared = await prepareReport(scope, parsed.data.contractId, parsed.data.period)
        return receiveRoyaltyReport(
          scope,
          prepared,
          { lines: parsed.data.lines as RawLine[] },
          { source: 'api', idempotencyKey, restatement: parsed.data.restatement ?? false },
          await loadMappings(scope),
        )
      })
      if (outcome instanceof Response) return outcome
      received = outcome
    }
    if (!received.ok)
      return apiError(422, 'invalid_report', `Nothing was posted: ${received.issueCount} problem(s).`, {
        issueCount: received.issueCount,
        issues: received.issues,
      })
    return Response.json(received.result, { status: received.result.duplicate ? 200 : 201 })
  })
}

/** GET /api/v1/reports?cursor=&limit=: the reports filed, newest first (reports:read). */
export async function loader({ request }: Route.LoaderArgs) {
  return apiAttempt(async () => {
    const scope = await apiTokenScope(request.headers.get('Authorization'), 'reports:read')
    return Response.json(await listReportsPage(scope, Object.fromEntries(new URL(request.url).searchParams)))
  })
}
