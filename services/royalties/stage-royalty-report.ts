import { once } from 'node:events'
import { from as copyFrom } from 'pg-copy-streams'
import { newId } from '../db/ids.ts'
import { pgPool } from '../db/pg-pool.ts'
import type { TenantScope } from '../tenancy/tenant-guard.ts'
import type { PreparedReport } from './prepare-report.ts'
import {
  ReportValidator,
  validateReportCsv,
  type LineIssue,
  type RawLine,
  type ReportLine,
  type ReportMappings,
  type ReportSummary,
} from './report-lines.ts'

export type ReportInput =
  { csv: AsyncIterable<Uint8Array>; maxBytes?: number } | { lines: Iterable<RawLine> | AsyncIterable<RawLine> }

/** A validated report waiting in the staging table (or, with no lines, nowhere) to be posted. */
export interface StagedReport {
  uploadId: string | null
  summary: ReportSummary
}

export type Staged = { ok: true; staged: StagedReport } | { ok: false; issueCount: number; issues: LineIssue[] }

/** The fingerprint's prefix: the same lines for another contract or period are other content. */
export const contentPrefix = (p: PreparedReport) => `${p.contractId}|${p.period.start}|${p.period.months}\n`

/** A zero report: nothing shipped in the period. */
export const emptyReport = (p: PreparedReport): StagedReport => ({
  uploadId: null,
  summary: new ReportValidator(p.terms, undefined, undefined, contentPrefix(p)).summary(),
})

// COPY's text format: backslash, tab and line breaks escaped in text columns.
const copyText = (s: string) =>
  s.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!)

/**
 * Validates a report in one streaming pass and stages its valid lines in the database as they come
 * (one COPY per upload, with backpressure), so memory stays flat in the report's size. Duplicate
 * lines are then found by one query over what was staged. Nothing is posted here: a report with
 * problems leaves nothing behind; a clean one waits for submitRoyaltyReport, which posts it whole.
 */
export async function stageRoyaltyReport(
  scope: TenantScope,
  p: PreparedReport,
  input: ReportInput,
  mappings?: ReportMappings,
): Promise<Staged> {
  const uploadId = newId()
  const client = await pgPool().connect()
  let copying = true
  try {
    const copy = client.query(
      copyFrom(
        'COPY "RoyaltyReportStaging" ("uploadId", "organizationId", "lineNumber", "deviceModel", "deviceClass", ' +
          '"priceBand", "region", "units", "revenueMinor") FROM STDIN',
      ),
    )
    const done = once(copy, 'finish')
    let waiting = false
    const stage = (l: ReportLine) => {
      // Once a line is wrong the report will not post: keep validating, stop staging.
      if (v.issueCount > 0) return
      const row =
        `${uploadId}\t${scope.organization.id}\t${l.lineNumber}\t` +
        `${copyText(l.deviceModel)}\t${copyText(l.deviceClass)}\t` +
        `${copyText(l.priceBand)}\t${copyText(l.region)}\t${l.units}\t${l.revenueMinor}\n`
      if (!copy.write(row)) waiting = true
    }
    const v = new ReportValidator(p.terms, mappings, stage, contentPrefix(p))
    const backpressure = async () => {
      if (!waiting) return
      waiting = false
      await once(copy, 'drain')
    }
    if ('csv' in input)
      await validateReportCsv(input.csv, v, {
        maxBytes: input.maxBytes,
        mappings,
        terms: p.terms,
        afterLine: backpressure,
      })
    else {
      let i = 0
      for await (const raw of input.lines) {
        v.add(++i, raw)
        await backpressure()
      }
    }
    copy.end()
    await done
    copying = false
    if (v.issueCount === 0) await findDuplicates(client, uploadId, v)
    const summary = v.summary()
    if (v.issueCount > 0 || summary.lineCount === 0) {
      await client.query('DELETE FROM "RoyaltyReportStaging" WHERE "uploadId" = $1', [uploadId])
      if (v.issueCount > 0) return { ok: false, issueCount: v.issueCount, issues: v.issues }
      return { ok: true, staged: { uploadId: null, summary } }
    }
    return { ok: true, staged: { uploadId, summary } }
  } catch (error) {
    if (!copying) await discardStaged(uploadId)
    throw error
  } finally {
    // A COPY cut off by an error leaves the connection unusable: drop it rather than return it.
    client.release(copying ? true : undefined)
  }
}

/** Lines that repeat device model, class, price band and region: one problem per repeat, naming the first. */
async function findDuplicates(
  client: { query: ReturnType<typeof pgPool>['query'] },
  uploadId: string,
  v: ReportValidator,
) {
  const { rows } = await client.query<{ lines: number[] }>(
    `SELECT array_agg("lineNumber" ORDER BY "lineNumber") AS lines FROM "RoyaltyReportStaging"
     WHERE "uploadId" = $1 GROUP BY lower("deviceModel"), "deviceClass", "priceBand", lower("region")
     HAVING count(*) > 1 ORDER BY min("lineNumber")`,
    [uploadId],
  )
  for (const { lines } of rows)
    for (const line of lines.slice(1))
      v.issue(
        line,
        'device_model',
        `Duplicate of line ${lines[0]}: same device model, class, price band and region. Combine them into one line.`,
      )
}

/** Staged lines that will not be posted (a refused report, a failed posting). */
export async function discardStaged(uploadId: string | null): Promise<void> {
  if (uploadId) await pgPool().query('DELETE FROM "RoyaltyReportStaging" WHERE "uploadId" = $1', [uploadId])
}
