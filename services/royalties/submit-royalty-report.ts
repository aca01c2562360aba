import { createHash } from 'node:crypto'
import { recordAuditEvent, auditActorOf } from '../audit/record-audit-event.ts'
import type { Tx } from '../db/client.ts'
import { newId } from '../db/ids.ts'
import type { ChargeLine } from '../contracts/compute-charges.ts'
import { todayUtc } from '../platform/clock.ts'
import { amountOf, type ContractTerms } from '../contracts/contract-terms.ts'
import { AppError } from '../errors/app-error.ts'
import { postJournalEntry, reverseJournalEntry } from '../ledger/post-journal-entry.ts'
import { enqueueJob } from '../jobs/enqueue-job.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { rateContractReports } from './rate-contract.ts'
import type { ReportLine } from './report-lines.ts'
import { periodOf } from './reporting-period.ts'
import type { PreparedReport } from './prepare-report.ts'
import { journalLinesFor } from './journal-lines-for.ts'

export const day = (d: Date) => d.toISOString().slice(0, 10)

export interface SubmitMeta {
  source: 'csv' | 'api' | 'zero' | 'period_close'
  idempotencyKey?: string
  restatement?: boolean
  submittedById?: string
}

export interface SubmitResult {
  reportId: string
  revision: number
  duplicate: boolean
}

/** Fingerprint of what was reported: the same content posts once, whoever sends it how often. */
export function reportContentSha256(p: PreparedReport, lines: ReportLine[]): string {
  const h = createHash('sha256').update(`${p.contractId}|${p.period.start}|${p.period.months}\n`)
  for (const l of [...lines].sort((a, b) => a.lineNumber - b.lineNumber))
    h.update(`${l.deviceModel}|${l.deviceClass}|${l.priceBand}|${l.region}|${l.units}|${l.revenueMinor}\n`)
  return h.digest('hex')
}

/**
 * Posts a validated report: stores it and its lines, then re-rates this and every later period of
 * the contract (a restatement changes the tiers reached afterwards), reversing and re-posting only
 * where the charges changed, all in one transaction under a per-contract lock. Restatements and
 * late reports are dated today (the open period) and tagged with the period they correct.
 */
export async function submitRoyaltyReport(
  scope: TenantScope,
  p: PreparedReport,
  lines: ReportLine[],
  meta: SubmitMeta,
): Promise<SubmitResult> {
  assertCan(scope, 'royalties.report')
  const sha = reportContentSha256(p, lines)
  const currentKey = `${p.contractId}:${p.period.start}:${p.period.months}`
  return scope.db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`royalties:${p.contractId}`}))`
      if (meta.idempotencyKey) {
        const prior = await tx.royaltyReport.findUnique({
          where: {
            organizationId_idempotencyKey: {
              organizationId: scope.organization.id,
              idempotencyKey: meta.idempotencyKey,
            },
          },
        })
        if (prior) {
          if (prior.contentSha256 !== sha)
            throw new AppError(
              'conflict',
              'This idempotency key was already used for a different report; use a new key for new content.',
            )
          return { reportId: prior.id, revision: prior.revision, duplicate: true }
        }
      }
      const overlaps = await tx.royaltyReport.findMany({
        orderBy: { periodStart: 'asc' },
        where: {
          contractId: p.contractId,
          status: 'current',
          currentKey: { not: currentKey },
          periodStart: { lt: new Date(`${p.period.end}T00:00:00Z`) },
          periodEnd: { gt: new Date(`${p.period.start}T00:00:00Z`) },
        },
      })
      // Zero reports the period close filed for missing months give way to the partner's late report.
      for (const placeholder of overlaps.filter((r) => r.source === 'period_close'))
        await supersede(tx, placeholder, p, meta.submittedById)
      const overlapping = overlaps.find((r) => r.source !== 'period_close')
      if (overlapping) {
        const tag = periodOf(
          day(overlapping.periodStart),
          (overlapping.periodEnd.getUTCFullYear() - overlapping.periodStart.getUTCFullYear()) * 12 +
            overlapping.periodEnd.getUTCMonth() -
            overlapping.periodStart.getUTCMonth(),
        ).tag
        throw new AppError(
          'conflict',
          `${p.period.tag} overlaps the ${tag} report already filed for ` +
            `${p.contractLabel}; restate ${tag} instead of reporting the same months twice.`,
          { period: [`Overlaps ${tag}.`] },
        )
      }
      const current = await tx.royaltyReport.findUnique({ where: { currentKey } })
      if (current && current.contentSha256 === sha)
        return { reportId: current.id, revision: current.revision, duplicate: true }
      if (current && !meta.restatement && current.source !== 'period_close') {
        throw new AppError(
          'conflict',
          `${p.period.tag} is already reported for ` +
            `${p.contractLabel} (revision ${current.revision}). To correct it, submit a restatement.`,
          { restatement: ['Tick “This corrects an earlier report” to restate the period.'] },
        )
      }
      if (!current && meta.restatement)
        throw new AppError(
          'invalid_input',
          `${p.period.tag} has not been reported yet, so there is nothing to restate.`,
        )
      if (current)
        await tx.royaltyReport.update({ where: { id: current.id }, data: { status: 'superseded', currentKey: null } })
      const restating = Boolean(current) && current!.source !== 'period_close'

      const reportId = newId()
      const revision = (current?.revision ?? 0) + 1
      await tx.royaltyReport.create({
        data: {
          id: reportId,
          organizationId: scope.organization.id,
          contractId: p.contractId,
          periodStart: new Date(`${p.period.start}T00:00:00Z`),
          periodEnd: new Date(`${p.period.end}T00:00:00Z`),
          revision,
          currentKey,
          source: meta.source,
          contentSha256: sha,
          idempotencyKey: meta.idempotencyKey,
          submittedById: meta.submittedById,
          lineCount: lines.length,
          unitsTotal: lines.reduce((s, l) => s + BigInt(l.units), 0n),
          revenueTotalMinor: lines.reduce((s, l) => s + l.revenueMinor, 0n),
          currency: p.terms.currency,
          contractVersionId: p.versionId,
        },
      })
      await insertLines(tx, scope.organization.id, reportId, lines)
      if (current?.journalEntryId) {
        await reverseJournalEntry(tx, current.journalEntryId, {
          idempotencyKey: `reversal:${current.journalEntryId}`,
          effectiveDate: todayUtc(),
          description: `Restatement of ${p.period.tag} (revision ${current.revision} reversed)`,
          createdById: meta.submittedById,
        })
      }
      await postAdvanceOnce(tx, scope, p)
      await rerateFrom(tx, scope, p, meta.submittedById)
      await recordAuditEvent(tx, {
        actor: auditActorOf(scope),
        organizationId: scope.organization.id,
        action: restating ? 'royalty_report.restate' : 'royalty_report.submit',
        targetType: 'royalty_report',
        targetId: reportId,
        changes: {
          contractId: p.contractId,
          period: p.period.tag,
          revision,
          lines: lines.length,
          source: meta.source,
          contentSha256: sha,
        },
      })
      return { reportId, revision, duplicate: false }
    },
    { timeout: 600_000, maxWait: 60_000 },
  )
}

async function supersede(
  tx: Tx,
  r: { id: string; journalEntryId: string | null; revision: number },
  p: PreparedReport,
  by?: string,
) {
  await tx.royaltyReport.update({ where: { id: r.id }, data: { status: 'superseded', currentKey: null } })
  if (r.journalEntryId)
    await reverseJournalEntry(tx, r.journalEntryId, {
      idempotencyKey: `reversal:${r.journalEntryId}`,
      effectiveDate: todayUtc(),
      description: `Late report for ${p.period.tag} replaces the zero report filed at period close`,
      createdById: by,
    })
}

async function insertLines(tx: Tx, organizationId: string, reportId: string, lines: ReportLine[]) {
  // One text parameter per batch (PostgreSQL parses the CSV-like rows itself): an order of
  // magnitude faster than a parameter per value through the driver adapter.
  const BATCH = 50_000
  for (let i = 0; i < lines.length; i += BATCH) {
    const b = lines.slice(i, i + BATCH)
    const payload = JSON.stringify(
      b.map((l) => [
        l.lineNumber,
        l.deviceModel,
        l.deviceClass,
        l.priceBand,
        l.region,
        l.units,
        l.revenueMinor.toString(),
      ]),
    )
    await tx.$executeRaw`
      INSERT INTO "RoyaltyReportLine" ("id", "reportId", "organizationId", "lineNumber", "deviceModel",
        "deviceClass", "priceBand", "region", "units", "revenueMinor")
      SELECT gen_random_uuid()::text, ${reportId}, ${organizationId}, (r->>0)::int, r->>1, r->>2, r->>3, r->>4,
        (r->>5)::int, (r->>6)::bigint
      FROM jsonb_array_elements(${payload}::jsonb) AS r`
  }
}

/** The prepaid advance is invoiced once, with the contract's first report: receivable against deferred revenue. */
async function postAdvanceOnce(tx: Tx, scope: TenantScope, p: PreparedReport) {
  if (!p.terms.prepaidAdvance) return
  const amount = amountOf(p.terms, p.terms.prepaidAdvance.amount)
  const advance = await postJournalEntry(tx, {
    organizationId: scope.organization.id,
    currency: p.terms.currency,
    idempotencyKey: `advance:${p.contractId}`,
    kind: 'advance_invoiced',
    description: `Prepaid advance, ${p.contractLabel}`,
    effectiveDate: todayUtc(),
    lines: [
      { account: 'royalty_receivable', debitMinor: amount, memo: 'Prepaid advance invoiced' },
      { account: 'deferred_revenue', creditMinor: amount, memo: 'Prepaid advance, recouped from royalties' },
    ],
  })
  if (advance.created) await enqueueJob(tx, 'billing.issue-invoice', { journalEntryId: advance.id })
}

async function rerateFrom(tx: Tx, scope: TenantScope, p: PreparedReport, submittedById?: string) {
  const reports = await tx.royaltyReport.findMany({
    where: { contractId: p.contractId, status: 'current' },
    orderBy: { periodStart: 'asc' },
  })
  const usage = await tx.royaltyReportLine.groupBy({
    by: ['reportId', 'priceBand'],
    where: { reportId: { in: reports.map((r) => r.id) } },
    _sum: { units: true, revenueMinor: true },
  })
  const versions = await tx.contractVersion.findMany({
    where: { id: { in: [...new Set(reports.map((r) => r.contractVersionId))] } },
  })
  const termsOf = new Map(versions.map((v) => [v.id, v.terms as ContractTerms]))
  const ratings = rateContractReports(
    p.contractStart,
    reports.map((r) => {
      const rows = usage.filter((u) => u.reportId === r.id)
      return {
        id: r.id,
        periodStart: day(r.periodStart),
        periodEnd: day(r.periodEnd),
        months:
          (r.periodEnd.getUTCFullYear() - r.periodStart.getUTCFullYear()) * 12 +
          r.periodEnd.getUTCMonth() -
          r.periodStart.getUTCMonth(),
        terms: termsOf.get(r.contractVersionId)!,
        unitsByBand: Object.fromEntries(rows.filter((u) => u.priceBand).map((u) => [u.priceBand, u._sum.units ?? 0])),
        revenueMinor: rows.reduce((s, u) => s + (u._sum.revenueMinor ?? 0n), 0n),
      }
    }),
  )
  for (const rating of ratings) {
    const report = reports.find((r) => r.id === rating.reportId)!
    if (day(report.periodStart) < p.period.start) continue
    const stored = report.journalEntryId
      ? await tx.royaltyCharge.findMany({
          where: { journalEntryId: report.journalEntryId },
          orderBy: { position: 'asc' },
        })
      : []
    const same =
      report.journalEntryId !== null &&
      stored.length === rating.lines.length &&
      stored.every((c, i) => c.kind === rating.lines[i]!.kind && c.amountMinor === rating.lines[i]!.amountMinor)
    if (same) continue
    const period = periodOf(
      day(report.periodStart),
      (report.periodEnd.getUTCFullYear() - report.periodStart.getUTCFullYear()) * 12 +
        report.periodEnd.getUTCMonth() -
        report.periodStart.getUTCMonth(),
    )
    if (report.journalEntryId) {
      await reverseJournalEntry(tx, report.journalEntryId, {
        idempotencyKey: `reversal:${report.journalEntryId}`,
        effectiveDate: todayUtc(),
        description: `Re-rated ${period.tag} after a restatement of ${p.period.tag}`,
        createdById: submittedById,
      })
    }
    const attempt = await tx.journalEntry.count({ where: { reportId: report.id, kind: 'report_charges' } })
    const entry = await postJournalEntry(tx, {
      organizationId: scope.organization.id,
      currency: p.terms.currency,
      idempotencyKey: `report:${report.id}:${attempt + 1}`,
      kind: 'report_charges',
      description: `Royalties ${period.tag}, ${p.contractLabel}, revision ${report.revision}`,
      effectiveDate: todayUtc(),
      periodTag: period.tag,
      reportId: report.id,
      createdById: submittedById,
      lines: journalLinesFor(rating, period.tag),
    })
    const entryId = entry.id || null
    // Every posting that charges goes to billing, which invoices what it adds to the period
    // (services/billing/period-billing.ts): the whole amount first, a restatement's increase later.
    if (
      entryId &&
      entry.created &&
      journalLinesFor(rating, period.tag).some((l) => l.account === 'royalty_receivable' && (l.debitMinor ?? 0n) > 0n)
    ) {
      await enqueueJob(tx, 'billing.issue-invoice', { journalEntryId: entryId })
    }
    if (entryId) {
      await tx.royaltyCharge.createMany({
        data: rating.lines.map((l: ChargeLine, i) => ({
          id: newId(),
          reportId: report.id,
          organizationId: scope.organization.id,
          contractVersionId: report.contractVersionId,
          kind: l.kind,
          label: l.label,
          amountMinor: l.amountMinor,
          trace: l.trace,
          position: i,
          journalEntryId: entryId,
        })),
      })
    }
    await tx.royaltyReport.update({ where: { id: report.id }, data: { journalEntryId: entryId } })
  }
}
