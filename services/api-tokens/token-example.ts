import { addMonths, quarterStartOf } from '../kernel/calendar/months.ts'
import { appUrl } from '../platform/config/env.ts'
import { todayUtc } from '../platform/clock.ts'
import { periodOf } from '../royalties/reporting-period.ts'
import type { TenantScope } from '../tenancy/tenant-guard.ts'
import type { ApiScope } from './api-tokens.ts'

export interface TokenExample {
  /** A command that runs as it is, with the new secret and the organization's own ids. */
  curl: string
  /** Where to find an id the example could not fill in, or null when it is complete. */
  missing: string | null
}

/** The quarter a partner can file now: the last one that has ended (prepare-report.ts refuses the rest). */
export const lastEndedQuarter = (today: string): string => periodOf(addMonths(quarterStartOf(today), -3), 3).tag

/** The ready-to-run call for a new token: file a report with a write token, read one with a read token. */
export function curlExample(input: {
  baseUrl: string
  secret: string
  scopes: readonly ApiScope[]
  orgSlug: string
  today: string
  contractId: string | null
  reportId: string | null
}): TokenExample | null {
  const auth = `-H "Authorization: Bearer ${input.secret}"`
  if (input.scopes.includes('reports:write')) {
    const period = lastEndedQuarter(input.today)
    const query = `contractId=${input.contractId ?? 'CONTRACT_ID'}&period=${period}`
    return {
      curl: [
        `curl -X POST "${input.baseUrl}/api/v1/reports?${query}"`,
        auth,
        `-H "Idempotency-Key: ${period}-v1"`,
        '-H "Content-Type: text/csv"',
        '--data-binary @report.csv',
      ].join(' \\\n  '),
      missing: input.contractId
        ? null
        : `Replace CONTRACT_ID with a signed contract's id: the last part of its address under ` +
          `${input.baseUrl}/portal/${input.orgSlug}/contracts.`,
    }
  }
  if (input.scopes.includes('reports:read')) {
    return {
      curl: [`curl "${input.baseUrl}/api/v1/reports/${input.reportId ?? 'REPORT_ID'}"`, auth].join(' \\\n  '),
      missing: input.reportId
        ? null
        : `Replace REPORT_ID with a report's id: the last part of its address under ` +
          `${input.baseUrl}/portal/${input.orgSlug}/reports.`,
    }
  }
  // The read API's lists (issue 32): the first page of the first list the token may read.
  const list = (['invoices', 'statements', 'badges'] as const).find((l) => input.scopes.includes(`${l}:read`))
  if (list) {
    const path = list === 'statements' ? `statements/${lastEndedQuarter(input.today)}` : list
    return { curl: [`curl "${input.baseUrl}/api/v1/${path}?limit=100"`, auth].join(' \\\n  '), missing: null }
  }
  return null
}

/** The example for a token just made, with the organization's newest signed contract and newest report. */
export async function apiTokenExample(
  scope: TenantScope,
  token: { secret: string; scopes: readonly ApiScope[] },
): Promise<TokenExample | null> {
  const [contract, report] = await Promise.all([
    scope.db.contract.findFirst({
      where: { status: { in: ['active', 'signed'] }, terminatedAt: null },
      orderBy: { createdAt: 'desc' },
      select: { id: true },
    }),
    scope.db.royaltyReport.findFirst({ orderBy: { createdAt: 'desc' }, select: { id: true } }),
  ])
  return curlExample({
    baseUrl: appUrl(),
    secret: token.secret,
    scopes: token.scopes,
    orgSlug: scope.organization.slug,
    today: todayUtc(),
    contractId: contract?.id ?? null,
    reportId: report?.id ?? null,
  })
}
