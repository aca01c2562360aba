import { once } from 'node:events'
import { from as copyFrom } from 'pg-copy-streams'
import { newId } from '../platform/db/ids.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { unscopedPool } from '../platform/db/unscoped.ts'
import { DuplicateFinder } from './duplicate-lines.ts'
import { now } from '../platform/clock.ts'
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
import { errorCode } from '../platform/errors/error-code.ts'

export type ReportInput =
  { csv: AsyncIterable<Uint8Array>; maxBytes?: number } | { lines: Iterable<RawLine> | AsyncIterable<RawLine> }

/** A validated report whose lines wait in an unposted upload (or, with no lines, nowhere) to be posted. */
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
  !/[\\\t\n\r]/.test(s)
    ? s
    : s.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!)

/**
 * Validates a report in one streaming pass and writes its valid lines where they will stay, into a
 * new upload, as they come (one COPY, with backpressure): memory stays flat in the report's size and
 * no line is ever copied again. Duplicate lines are then found by one query over the upload. Nothing
 * is posted here: a report with problems leaves nothing behind; a clean one waits for
 * submitRoyaltyReport, which posts it whole by pointing the report at the upload.
 */
export async function stageRoyaltyReport(
  scope: TenantScope,
  p: PreparedReport,
  input: ReportInput,
  mappings?: ReportMappings,
): Promise<Staged> {
  const uploadId = newId()
  await scope.db.reportUpload.create({
    data: { id: uploadId, organizationId: scope.organization.id, createdAt: now() },
  })
  const client = await unscopedPool('in scope').connect()
  let copying = true
  let released = false
  // What ended the connection under us (the database restarting, an administrator): whatever error the
  // COPY then throws (pg-copy-streams may fail on its missing connection), the client hears 503.
  let connectionLost: unknown
  const onLost = (err: unknown) => (connectionLost ??= err)
  client.on('error', onLost)
  // A COPY cut off by an error leaves the connection unusable: it is dropped rather than returned.
  const release = () => {
    if (!released) {
      client.off('error', onLost)
      client.release(copying ? true : undefined)
    }
    released = true
  }
  try {
    // The upload and organization are named once for the COPY's transaction; the lines' columns
    // default to them (migration 20261130010000).
    await client.query('BEGIN')
    await client.query(`SELECT set_config('ggml.upload_id', $1, true), set_config('ggml.organization_id', $2, true)`, [
      uploadId,
      scope.organization.id,
    ])
    const copy = client.query(
      copyFrom(
        'COPY "RoyaltyReportLine" ("lineNumber", "deviceModel", "deviceClass", "priceBand", "region", "units", ' +
          '"revenueMinor") FROM STDIN',
        // Up to 1 MB may wait for PostgreSQL, so parsing the next lines overlaps with storing these.
        { highWaterMark: 1 << 20 },
      ),
    )
    // Settled on every path: when the upload fails half-way (too large, cut off, the database gone),
    // the COPY errors after the client is dropped, and nobody else is left to hear it.
    copy.on('error', (err) => {
      if (lostConnection(err)) onLost(err)
    })
    const done = once(copy, 'finish')
    done.catch(() => {})
    let waiting = false
    // Rows go to the COPY in writes of about 64 kB, not one write per line.
    let buffered = ''
    const flush = () => {
      if (buffered && !copy.write(buffered)) waiting = true
      buffered = ''
    }
    const duplicates = new DuplicateFinder()
    const stage = (l: ReportLine) => {
      // Once a line is wrong the report will not post: keep validating, stop staging.
      if (v.issueCount > 0) return
      duplicates.add(l.lineNumber, l.deviceModel, l.deviceClass, l.priceBand, l.region)
      buffered +=
        `${l.lineNumber}\t${copyText(l.deviceModel)}\t${copyText(l.deviceClass)}\t` +
        `${copyText(l.priceBand)}\t${copyText(l.region)}\t${l.units}\t${l.revenueMinor}\n`
      if (buffered.length > 65_536) flush()
    }
    const v = new ReportValidator(p.terms, mappings, stage, contentPrefix(p))
    let batches = 0
    const backpressure = async () => {
      if (waiting) {
        waiting = false
        await once(copy, 'drain')
      } else if (++batches % 4 === 0) {
        // Parsing never gives the event loop a turn by itself: without one the socket sends nothing
        // while the next lines are parsed, and PostgreSQL waits. A turn now and then keeps both busy.
        await new Promise<void>((resolve) => setImmediate(resolve))
      }
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
    flush()
    copy.end()
    await done
    await client.query('COMMIT')
    copying = false
    if (v.issueCount === 0) await findDuplicates(client, uploadId, v, duplicates)
    const summary = v.summary()
    release()
    if (v.issueCount > 0 || summary.lineCount === 0) {
      await discardStaged(uploadId)
      if (v.issueCount > 0) return { ok: false, issueCount: v.issueCount, issues: v.issues }
      return { ok: true, staged: { uploadId: null, summary } }
    }
    return { ok: true, staged: { uploadId, summary } }
  } catch (error) {
    release()
    await discardStaged(uploadId).catch(() => {
      // The database is gone too: the nightly sweep removes the unposted upload (discard-stale-uploads.ts).
    })
    if (connectionLost || lostConnection(error))
      throw new AppError(
        'unavailable',
        'The connection to the database was lost while the report was stored; nothing was posted. Send it again.',
      )
    throw error
  }
}

/** The database ended the connection (a restart, a failover, an administrator): not the client's fault. */
const lostConnection = (e: unknown) =>
  e instanceof Error &&
  (/Connection terminated|terminating connection|ECONNRESET|ECONNREFUSED/i.test(e.message) ||
    ['57P01', '57P02', '57P03', '08006', '08003'].includes(errorCode(e) ?? ''))

const duplicateMessage = (first: number) =>
  `Duplicate of line ${first}: same device model, class, price band and region. Combine them into one line.`

/**
 * Lines that repeat device model, class, price band and region: one problem per repeat, naming the
 * first. The streaming fingerprints name the candidates, confirmed here against the stored lines; a
 * report too large for them (or with names the database folds) is grouped by the database whole.
 */
async function findDuplicates(
  client: { query: ReturnType<typeof unscopedPool>['query'] },
  uploadId: string,
  v: ReportValidator,
  finder: DuplicateFinder,
) {
  if (!finder.overflowed) {
    if (finder.candidates.length === 0) return
    const wanted = [...new Set(finder.candidates.flat())]
    const { rows } = await client.query<{ line: number; key: string }>(
      `SELECT "lineNumber" AS line, lower("deviceModel") || chr(1) || "deviceClass" || chr(1) || "priceBand" ||
         chr(1) || lower("region") AS key
       FROM "RoyaltyReportLine" WHERE "uploadId" = $1 AND "lineNumber" = ANY($2::int[])`,
      [uploadId, wanted],
    )
    const keyOf = new Map(rows.map((r) => [r.line, r.key]))
    for (const [first, line] of finder.candidates)
      if (keyOf.get(first) === keyOf.get(line)) v.issue(line, 'device_model', duplicateMessage(first))
    return
  }
  const { rows } = await client.query<{ lines: number[] }>(
    `SELECT array_agg("lineNumber" ORDER BY "lineNumber") AS lines FROM "RoyaltyReportLine"
     WHERE "uploadId" = $1 GROUP BY lower("deviceModel"), "deviceClass", "priceBand", lower("region")
     HAVING count(*) > 1 ORDER BY min("lineNumber")`,
    [uploadId],
  )
  for (const { lines } of rows)
    for (const line of lines.slice(1)) v.issue(line, 'device_model', duplicateMessage(lines[0]!))
}

/**
 * An upload that will not be posted (a refused report, a duplicate, a failed posting): its lines and
 * itself go. One that was posted is kept (the database would refuse to delete its lines anyway).
 */
export async function discardStaged(uploadId: string | null): Promise<void> {
  if (!uploadId) return
  const client = await unscopedPool('in scope').connect()
  try {
    await client.query('BEGIN')
    const { rowCount } = await client.query(
      'SELECT 1 FROM "ReportUpload" WHERE "id" = $1 AND "postedAt" IS NULL FOR UPDATE',
      [uploadId],
    )
    if (rowCount) {
      await client.query('DELETE FROM "RoyaltyReportLine" WHERE "uploadId" = $1', [uploadId])
      await client.query('DELETE FROM "ReportUpload" WHERE "id" = $1', [uploadId])
    }
    await client.query('COMMIT')
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {})
    throw error
  } finally {
    client.release()
  }
}
