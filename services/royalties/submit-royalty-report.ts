import { z } from 'zod'
import { recordAuditEvent, auditActorOf } from '../platform/audit/record-audit-event.ts'
import { monthsBetween } from '../kernel/calendar/months.ts'
import type { ChargeLine } from '../rating/compute-charges.ts'
import { readContractTerms } from '../rating/contract-terms.ts'
import type { Tx } from '../platform/db/client.ts'
import { newId } from '../platform/db/ids.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { reverseJournalEntry } from '../ledger/post-journal-entry.ts'
import { postReceivable } from '../ledger/post-receivable.ts'
import { now, todayUtc } from '../platform/clock.ts'
import { crashPointForTests } from '../platform/config/crash-points.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { postAdvanceOnce } from './invoice-advance.ts'
import { journalLinesFor } from './journal-lines-for.ts'
import type { PreparedReport } from './prepare-report.ts'
import { rateContractReports, type ReportForRating } from './rate-contract.ts'
import type { ReportSummary } from './report-lines.ts'
import { periodOf } from './reporting-period.ts'
import { discardStaged, type StagedReport } from './stage-royalty-report.ts'
import { recordWebhookEvent } from '../webhooks/record-webhook-event.ts'

export const day = (d: Date) => d.toISOString().slice(0, 10)
const periodOfRow = (r: { periodStart: Date; periodEnd: Date }) =>
  periodOf(day(r.periodStart), monthsBetween(day(r.periodStart), day(r.periodEnd)))

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

// RoyaltyReport.usage (a JSON column): units and revenue per price band, revenue in minor units as text.
const storedUsageSchema = z.record(z.string(), z.object({ units: z.number(), revenueMinor: z.string() }))
type StoredUsage = z.infer<typeof storedUsageSchema>
const storedUsage = (s: ReportSummary): StoredUsage =>
  Object.fromEntries(
    Object.entries(s.usage).map(([band, u]) => [band, { units: u.units, revenueMinor: u.revenueMinor.toString() }]),
  )

/**
 * Posts a staged report: stores it and moves its staged lines in, then re-rates this and every later
 * period of the contract (a restatement changes the tiers reached afterwards), reversing and
 * re-posting only where the charges changed, all in one transaction under a per-contract lock.
 * Postings are dated today (the open period) and carry the period they are for. Every rating keeps
 * its lines, even one that posts nothing (a cap that cut the period to zero).
 */
export async function submitRoyaltyReport(
  scope: TenantScope,
  p: PreparedReport,
  staged: StagedReport,
  meta: SubmitMeta,
): Promise<SubmitResult> {
  assertCan(scope, 'royalties.report')
  const sha = staged.summary.contentSha256
  const currentKey = `${p.contractId}:${p.period.start}:${p.period.months}`
  try {
    return await scope.db.$transaction(
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
          const tag = periodOfRow(overlapping).tag
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
            `${p.period.tag} is already reported for ${p.contractLabel} (revision ${current.revision}). ` +
              'To correct it, submit a restatement.',
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
        const s = staged.summary
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
            lineCount: s.lineCount,
            unitsTotal: s.unitsTotal,
            revenueTotalMinor: s.revenueTotalMinor,
            usage: storedUsage(s),
            uploadId: staged.uploadId,
            currency: p.terms.currency,
            contractVersionId: p.versionId,
          },
        })
        crashPointForTests('posting:report-stored')
        if (staged.uploadId) await markPosted(tx, staged.uploadId)
        crashPointForTests('posting:upload-posted')
        if (current?.journalEntryId) {
          await reverseJournalEntry(tx, current.journalEntryId, {
            idempotencyKey: `reversal:${current.journalEntryId}`,
            effectiveDate: todayUtc(),
            description: `Restatement of ${p.period.tag} (revision ${current.revision} reversed)`,
            createdById: meta.submittedById,
          })
        }
        await postAdvanceOnce(tx, {
          organizationId: scope.organization.id,
          contractId: p.contractId,
          contractLabel: p.contractLabel,
          terms: p.terms,
        })
        await rerateFrom(tx, scope, p, meta.submittedById)
        crashPointForTests('posting:rated')
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
            lines: s.lineCount,
            source: meta.source,
            contentSha256: sha,
          },
        })
        // The month close's zero report is ggml's bookkeeping, not the partner's filing.
        if (meta.source !== 'period_close')
          await recordWebhookEvent(tx, scope.organization.id, 'report.posted', {
            reportId,
            contractId: p.contractId,
            period: p.period.tag,
            revision,
            restatement: restating,
          })
        crashPointForTests('posting:before-commit')
        return { reportId, revision, duplicate: false }
      },
      { timeout: 600_000, maxWait: 60_000 },
    )
  } finally {
    // An upload the posting did not take (a refusal, a duplicate, a failure) is discarded.
    await discardStaged(staged.uploadId)
  }
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

/** The upload's lines become the report's: once posted, the database keeps them as they are. */
async function markPosted(tx: Tx, uploadId: string) {
  const n = await tx.$executeRaw`
    UPDATE "ReportUpload" SET "postedAt" = ${now()} WHERE "id" = ${uploadId} AND "postedAt" IS NULL`
  if (n !== 1) throw new AppError('conflict', 'These lines were already posted or discarded; upload the report again.')
}

/** What each current report of the contract shipped, by band (from the summary kept with it). */
async function usageOf(tx: Tx, reports: { id: string; usage: unknown; uploadId: string | null }[]) {
  const missing = reports.filter((r) => r.usage === null).map((r) => r.id)
  const uploads = new Map(reports.filter((r) => missing.includes(r.id) && r.uploadId).map((r) => [r.uploadId!, r.id]))
  const grouped = (
    uploads.size
      ? await tx.royaltyReportLine.groupBy({
          by: ['uploadId', 'priceBand'],
          where: { uploadId: { in: [...uploads.keys()] } },
          _sum: { units: true, revenueMinor: true },
        })
      : []
  ).map((g) => ({ ...g, reportId: uploads.get(g.uploadId)! }))
  return (r: { id: string; usage: unknown }) => {
    if (r.usage !== null)
      return Object.entries(storedUsageSchema.parse(r.usage)).map(([band, u]) => ({
        band,
        units: u.units,
        revenueMinor: BigInt(u.revenueMinor),
      }))
    return grouped
      .filter((g) => g.reportId === r.id)
      .map((g) => ({ band: g.priceBand, units: g._sum.units ?? 0, revenueMinor: g._sum.revenueMinor ?? 0n }))
  }
}

const sameCharges = (stored: { kind: string; label: string; amountMinor: bigint }[], lines: ChargeLine[]) =>
  stored.length === lines.length &&
  stored.every(
    (c, i) => c.kind === lines[i]!.kind && c.label === lines[i]!.label && c.amountMinor === lines[i]!.amountMinor,
  )

async function rerateFrom(tx: Tx, scope: TenantScope, p: PreparedReport, submittedById?: string) {
  const reports = await tx.royaltyReport.findMany({
    where: { contractId: p.contractId, status: 'current' },
    orderBy: { periodStart: 'asc' },
  })
  const usage = await usageOf(tx, reports)
  const versions = await tx.contractVersion.findMany({
    where: { id: { in: [...new Set(reports.map((r) => r.contractVersionId))] } },
  })
  const contract = await tx.contract.findUniqueOrThrow({ where: { id: p.contractId }, select: { terminatedAt: true } })
  const termsOf = new Map(versions.map((v) => [v.id, readContractTerms(v.terms)]))
  const ratings = rateContractReports(
    { start: p.contractStart, terminatedOn: contract.terminatedAt ? day(contract.terminatedAt) : undefined },
    reports.map((r): ReportForRating => {
      const rows = usage(r)
      const period = periodOfRow(r)
      return {
        id: r.id,
        tag: period.tag,
        periodStart: period.start,
        periodEnd: period.end,
        months: period.months,
        terms: termsOf.get(r.contractVersionId)!,
        unitsByBand: Object.fromEntries(rows.filter((u) => u.band).map((u) => [u.band, u.units])),
        revenueMinor: rows.reduce((s, u) => s + u.revenueMinor, 0n),
      }
    }),
  )
  for (const rating of ratings) {
    const report = reports.find((r) => r.id === rating.reportId)!
    if (day(report.periodStart) < p.period.start) continue
    const stored = report.ratingKey
      ? await tx.royaltyCharge.findMany({ where: { ratingKey: report.ratingKey }, orderBy: { position: 'asc' } })
      : []
    if (report.ratingKey && sameCharges(stored, rating.lines)) continue
    const period = periodOfRow(report)
    if (report.journalEntryId) {
      await reverseJournalEntry(tx, report.journalEntryId, {
        idempotencyKey: `reversal:${report.journalEntryId}`,
        effectiveDate: todayUtc(),
        description: `Re-rated ${period.tag} after a restatement of ${p.period.tag}`,
        createdById: submittedById,
      })
    }
    const attempt = report.ratingKey ? Number(report.ratingKey.split(':').at(-1)) : 0
    const ratingKey = `report:${report.id}:${attempt + 1}`
    // Every rating goes to billing, which invoices what it adds to the period or credits what it
    // takes away (services/billing/period-billing.ts); one that charges nothing may still credit.
    const entry = await postReceivable(tx, {
      organizationId: scope.organization.id,
      currency: p.terms.currency,
      idempotencyKey: ratingKey,
      kind: 'report_charges',
      // A later period re-rated by this filing keeps its revision: say why it is posted again.
      // A zero report of the month close is ggml's, not the partner's: say what it bills and why.
      description:
        report.source === 'period_close'
          ? `Billed at the close of ${period.tag} (fixed fees and guarantee; no report filed yet), ${p.contractLabel}`
          : period.tag === p.period.tag
            ? `Royalties ${period.tag}, ${p.contractLabel}, revision ${report.revision}`
            : `Royalties ${period.tag}, ${p.contractLabel}, re-rated after the restatement of ${p.period.tag}`,
      effectiveDate: todayUtc(),
      periodTag: period.tag,
      servicePeriod: { start: period.start, end: period.end },
      reportId: report.id,
      createdById: submittedById,
      allowEmpty: true,
      lines: journalLinesFor(rating, period.tag),
    })
    const entryId = entry.id
    if (rating.lines.length) {
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
          ratingKey,
        })),
      })
    }
    await tx.royaltyReport.update({ where: { id: report.id }, data: { journalEntryId: entryId, ratingKey } })
  }
}
