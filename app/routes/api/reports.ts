import { z } from 'zod'
import type { Route } from './+types/reports'
import { apiError, apiFromError, readJsonBody } from '#app/lib/api.server.ts'
import { ReportValidator, validateReportCsv, type RawLine } from '#services/royalties/report-lines.ts'
import { submitRoyaltyReport } from '#services/royalties/submit-royalty-report.ts'
import { prepareReport } from '#services/royalties/prepare-report.ts'
import { apiTokenScope } from '#services/tenancy/tenant-guard.ts'
import { loadMappings } from '#services/royalties/report-mappings.ts'

const jsonBody = z.object({
  contractId: z.string().min(1),
  period: z.string().min(1),
  restatement: z.boolean().optional(),
  lines: z
    .array(z.record(z.string(), z.union([z.string(), z.number()])))
    .max(200_000, 'Send at most 200,000 lines as JSON; larger reports as text/csv.'),
})

/**
 * POST /api/v1/reports: a report as JSON ({ contractId, period, lines: [...] }) or as text/csv with
 * ?contractId=&period= in the query. An Idempotency-Key header makes retries safe.
 */
export async function action({ request }: Route.ActionArgs) {
  try {
    const scope = await apiTokenScope(request.headers.get('Authorization'), 'reports:write')
    const url = new URL(request.url)
    const idempotencyKey = request.headers.get('Idempotency-Key') ?? undefined
    if (idempotencyKey && idempotencyKey.length > 200)
      return apiError(400, 'invalid_input', 'The Idempotency-Key header is at most 200 characters.')
    const type = request.headers.get('Content-Type') ?? ''
    let contractId: string
    let period: string
    let restatement = false
    let validator: ReportValidator
    if (type.startsWith('text/csv')) {
      contractId = url.searchParams.get('contractId') ?? ''
      period = url.searchParams.get('period') ?? ''
      restatement = url.searchParams.get('restatement') === 'true'
      if (!contractId || !period)
        return apiError(
          400,
          'invalid_input',
          'For a text/csv body, put the contract and period in the query: ?contractId=…&period=2027-Q1.',
        )
      const prepared = await prepareReport(scope, contractId, period)
      if (!request.body) return apiError(400, 'invalid_input', 'The request has no body.')
      validator = await validateReportCsv(request.body as unknown as AsyncIterable<Uint8Array>, prepared.terms, {
        mappings: await loadMappings(scope),
      })
      if (validator.issueCount)
        return apiError(422, 'invalid_report', `Nothing was posted: ${validator.issueCount} problem(s).`, {
          issueCount: validator.issueCount,
          issues: validator.issues,
        })
      const result = await submitRoyaltyReport(scope, prepared, validator.lines, {
        source: 'api',
        idempotencyKey,
        restatement,
      })
      return Response.json(result, { status: result.duplicate ? 200 : 201 })
    }
    const parsed = jsonBody.safeParse(await readJsonBody(request))
    if (!parsed.success)
      return apiError(400, 'invalid_input', 'Send JSON { contractId, period, lines: [...] } or text/csv.', {
        fields: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      })
    ;({ contractId, period } = parsed.data)
    restatement = parsed.data.restatement ?? false
    const prepared = await prepareReport(scope, contractId, period)
    validator = new ReportValidator(prepared.terms, await loadMappings(scope))
    parsed.data.lines.forEach((l, i) => validator.add(i + 1, l as RawLine))
    if (validator.issueCount)
      return apiError(422, 'invalid_report', `Nothing was posted: ${validator.issueCount} problem(s).`, {
        issueCount: validator.issueCount,
        issues: validator.issues,
      })
    const result = await submitRoyaltyReport(scope, prepared, validator.lines, {
      source: 'api',
      idempotencyKey,
      restatement,
    })
    return Response.json(result, { status: result.duplicate ? 200 : 201 })
  } catch (e) {
    return apiFromError(e)
  }
}

export async function loader({ request }: Route.LoaderArgs) {
  try {
    await apiTokenScope(request.headers.get('Authorization'), 'reports:read')
    return apiError(405, 'method_not_allowed', 'POST a report here; GET /api/v1/reports/{id} reads one.')
  } catch (e) {
    return apiFromError(e)
  }
}
