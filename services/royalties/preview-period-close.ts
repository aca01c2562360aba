import { addMonths, isBookMonth } from '../kernel/calendar/months.ts'
import { contractNumber } from '../contracts/contract-number.ts'
import { termsOfVersion } from '../rating/contract-terms.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import type { Actor } from '../identity/actor.ts'
import { todayUtc } from '../platform/clock.ts'
import { allPartnersScope } from '../tenancy/tenant-guard.ts'
import { zeroReportMonths, type ZeroReportReason } from './zero-report-months.ts'

const day = (d: Date) => d.toISOString().slice(0, 10)

export interface PeriodClosePreview {
  month: string
  /** Why the month cannot be closed now (not ended, already closed); null when it can. */
  blocked: string | null
  /** The zero reports closing would file, per contract, and why each is billed. */
  zeroReports: { contract: string; partner: string; months: { month: string; reasons: ZeroReportReason[] }[] }[]
  count: number
}

/**
 * What closing a month would do, posting nothing (issue 29): the same contracts and the same rule
 * (zeroReportMonths) as closePeriod, so finance reads the list before the irreversible step.
 */
export async function previewPeriodClose(actor: Actor, month: string): Promise<PeriodClosePreview> {
  allPartnersScope(actor, 'periods.close')
  if (!isBookMonth(month)) return { month, blocked: 'Use a month like 2027-03.', zeroReports: [], count: 0 }
  const start = `${month}-01`
  const next = addMonths(start, 1)
  const blocked =
    next > todayUtc()
      ? `${month} has not ended yet; close it from ${next} on.`
      : (await unscopedDb('staff view').ledgerPeriodClose.findUnique({ where: { period: month } }))
        ? `${month} is already closed.`
        : null
  const contracts = await unscopedDb('staff view').contract.findMany({
    where: { status: { in: ['signed', 'active', 'expired', 'terminated'] } },
    include: {
      versions: { where: { state: 'signed' }, orderBy: { version: 'asc' } },
      organization: { select: { name: true } },
      royaltyReports: { where: { status: 'current' }, select: { periodStart: true, periodEnd: true } },
    },
    orderBy: [{ seq: 'asc' }],
  })
  const zeroReports: PeriodClosePreview['zeroReports'] = []
  for (const c of contracts) {
    const first = termsOfVersion(c.versions[0])
    const latest = termsOfVersion(c.versions.at(-1))
    if (!first || !latest) continue
    const months = zeroReportMonths(
      { terminatedOn: c.terminatedAt ? day(c.terminatedAt) : null, first, latest },
      start,
      c.royaltyReports.map((r) => ({ start: day(r.periodStart), end: day(r.periodEnd) })),
    )
    if (months.length)
      zeroReports.push({
        contract: `${contractNumber(c.seq, c.createdAt)} ${c.title}`,
        partner: c.organization.name,
        months: months.map((m) => ({ month: m.month.slice(0, 7), reasons: m.reasons })),
      })
  }
  zeroReports.sort((a, b) => a.partner.localeCompare(b.partner) || a.contract.localeCompare(b.contract))
  return { month, blocked, zeroReports, count: zeroReports.reduce((s, z) => s + z.months.length, 0) }
}

/** The months closed so far, newest first, and who closed each. */
export async function recentPeriodCloses(actor: Actor, take = 12) {
  allPartnersScope(actor, 'periods.close')
  const closes = await unscopedDb('staff view').ledgerPeriodClose.findMany({ orderBy: { period: 'desc' }, take })
  const users = new Map(
    (
      await unscopedDb('staff view').user.findMany({
        where: { id: { in: closes.map((c) => c.closedById) } },
        select: { id: true, name: true },
      })
    ).map((u) => [u.id, u.name]),
  )
  return closes.map((c) => ({
    period: c.period,
    closedOn: day(c.closedAt),
    by: users.get(c.closedById) ?? 'someone no longer here',
    settlements: c.settlements,
  }))
}
