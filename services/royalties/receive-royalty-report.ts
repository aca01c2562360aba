import type { TenantScope } from '../tenancy/tenant-guard.ts'
import type { PreparedReport } from './prepare-report.ts'
import type { LineIssue, ReportMappings } from './report-lines.ts'
import { stageRoyaltyReport, type ReportInput } from './stage-royalty-report.ts'
import { submitRoyaltyReport, type SubmitMeta, type SubmitResult } from './submit-royalty-report.ts'

export type Received = { ok: true; result: SubmitResult } | { ok: false; issueCount: number; issues: LineIssue[] }

/**
 * A partner's report, as a file or as lines: validated and staged in one streaming pass, then posted
 * whole, or refused with every problem and nothing stored. The one way reports come in (portal, API,
 * seeds and tests alike).
 */
export async function receiveRoyaltyReport(
  scope: TenantScope,
  prepared: PreparedReport,
  input: ReportInput,
  meta: SubmitMeta,
  mappings?: ReportMappings,
): Promise<Received> {
  const staged = await stageRoyaltyReport(scope, prepared, input, mappings)
  if (!staged.ok) return staged
  return { ok: true, result: await submitRoyaltyReport(scope, prepared, staged.staged, meta) }
}
