import { recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { todayUtc } from '../platform/clock.ts'
import { addMonths } from '../kernel/calendar/months.ts'
import { contractNumber } from '../contracts/contract-number.ts'
import { zeroReportMonths } from './zero-report-months.ts'
import { emptyReport } from './stage-royalty-report.ts'
import { termsOfVersion } from '../rating/contract-terms.ts'
import { AppError } from '../platform/errors/app-error.ts'
import type { Actor } from '../identity/actor.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { enqueueJob } from '../platform/jobs/enqueue-job.ts'
import { submitRoyaltyReport } from './submit-royalty-report.ts'
import { prepareReport } from './prepare-report.ts'
import { allPartnersScope, systemScope } from '../tenancy/tenant-guard.ts'

const day = (d: Date) => d.toISOString().slice(0, 10)

export interface PeriodCloseResult {
  settlements: number
  /** Contracts whose guarantee could not be settled, and why; the month closes without them. */
  unsettled: { contractId: string; contract: string; partner: string; reason: string }[]
}

/**
 * Closes a month of the books. Guarantee periods ending with it are settled first, and base fees of
 * the month billed: a month nobody reported gets a zero report, so the shortfall and the fee are
 * charged (or the excess carried) by the same rating as any report; a partner's late report later
 * replaces it and posts only the difference, so a report never bills a fixed fee again.
 * One contract's problem never stops the others: it is listed with its reason. Then the month is
 * locked: the database refuses postings dated in it. It lives in royalties, which owns the zero reports
 * it files, so the ledger imports no context above it (issue 27).
 */
export async function closePeriod(actor: Actor, month: string): Promise<PeriodCloseResult> {
  allPartnersScope(actor, 'periods.close')
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month))
    throw new AppError('invalid_input', 'Use a month like 2027-03.', { month: ['Use a month like 2027-03.'] })
  const start = `${month}-01`
  const next = addMonths(start, 1)
  if (next > todayUtc()) throw new AppError('conflict', `${month} has not ended yet; close it from ${next} on.`)
  if (await unscopedDb('staff view').ledgerPeriodClose.findUnique({ where: { period: month } }))
    throw new AppError('conflict', `${month} is already closed.`)

  let settlements = 0
  const unsettled: PeriodCloseResult['unsettled'] = []
  const contracts = await unscopedDb('staff view').contract.findMany({
    where: { status: { in: ['signed', 'active', 'expired', 'terminated'] } },
    include: { versions: { where: { state: 'signed' }, orderBy: { version: 'asc' } }, organization: true },
  })
  for (const c of contracts) {
    try {
      settlements += await fileZeroReports(c, start)
    } catch (e) {
      unsettled.push({
        contractId: c.id,
        contract: `${contractNumber(c.seq, c.createdAt)} ${c.title}`,
        partner: c.organization.name,
        reason: e instanceof Error ? e.message : String(e),
      })
    }
  }
  await unscopedDb('staff view').$transaction(async (tx) => {
    await tx.ledgerPeriodClose
      .create({ data: { period: month, closedById: actor.userId, settlements } })
      .catch((err: { code?: string }) => {
        // Two people closing the same month at once: the second one learns it is done.
        if (err.code === 'P2002') throw new AppError('conflict', `${month} is already closed.`)
        throw err
      })
    await recordAuditEvent(tx, {
      actor: { userId: actor.userId, email: actor.email },
      organizationId: null,
      action: 'ledger.close_period',
      targetType: 'period',
      targetId: month,
      changes: { settlements, unsettled: unsettled.map((u) => ({ contractId: u.contractId, reason: u.reason })) },
    })
    // A quarter's last month closed: every partner with books gets its quarterly statement by email.
    if (Number(month.slice(5, 7)) % 3 === 0) {
      const quarter = `${month.slice(0, 4)}-Q${Number(month.slice(5, 7)) / 3}`
      const partners = await tx.ledgerAccount.findMany({
        where: { type: 'royalty_receivable' },
        distinct: ['organizationId'],
        select: { organizationId: true },
      })
      for (const p of partners)
        await enqueueJob(tx, 'royalties.email-statement', { organizationId: p.organizationId, period: quarter })
    }
  })
  return { settlements, unsettled }
}

/** Files the zero reports zeroReportMonths says closing this month needs, and counts them. */
async function fileZeroReports(
  c: { id: string; organizationId: string; terminatedAt: Date | null; versions: { terms: unknown }[] },
  monthStart: string,
): Promise<number> {
  const first = termsOfVersion(c.versions[0])
  const latest = termsOfVersion(c.versions.at(-1))
  if (!first || !latest) return 0
  const reports = await unscopedDb('staff view').royaltyReport.findMany({
    where: { contractId: c.id, status: 'current' },
    select: { periodStart: true, periodEnd: true },
  })
  const due = zeroReportMonths(
    { terminatedOn: c.terminatedAt ? day(c.terminatedAt) : null, first, latest },
    monthStart,
    reports.map((r) => ({ start: day(r.periodStart), end: day(r.periodEnd) })),
  )
  if (!due.length) return 0
  const scope = await systemScope(c.organizationId)
  for (const { month: m } of due) {
    const prepared = await prepareReport(scope, c.id, m.slice(0, 7))
    await submitRoyaltyReport(scope, prepared, emptyReport(prepared), {
      source: 'period_close',
      idempotencyKey: `period-close:${c.id}:${m.slice(0, 7)}`,
    })
  }
  return due.length
}
