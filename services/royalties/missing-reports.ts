import { appUrl } from '../platform/config/env.ts'
import { membersOfOrganization } from '../organizations/members.ts'
import { todayUtc } from '../platform/clock.ts'
import { addMonths } from '#services/kernel/calendar/months.ts'
import { contractNumber } from '#services/contracts/contract-number.ts'
import { termsOfVersion } from '../rating/contract-terms.ts'
import type { Db } from '../platform/db/client.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { renderEmail } from '../platform/email/render-email.ts'
import { sendEmail } from '../platform/email/send-email.ts'
import type { JobHandler } from '../platform/jobs/define-job.ts'
import { periodOf } from './reporting-period.ts'

/** Reports are due this many days after their quarter ends. */
export const REPORT_DUE_DAYS = 30
const REMIND_DAYS = [-7, 1, 14] as const

export interface DueReport {
  organizationId: string
  partner: string
  partnerSlug: string
  contractId: string
  contract: string
  period: string
  due: string
  daysLate: number
}

const day = (d: Date) => d.toISOString().slice(0, 10)
const plusDays = (date: string, n: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10)

/**
 * Quarters of signed contracts not reported (neither as a quarter nor as its three months) whose
 * due date is within `horizonDays` from today or past. Calendar quarters from the contract's start.
 */
export async function dueReports(
  db: Pick<Db, 'contract' | 'royaltyReport'>,
  today = todayUtc(),
  horizonDays = 0,
): Promise<DueReport[]> {
  const contracts = await db.contract.findMany({
    where: { status: { in: ['signed', 'active'] } },
    include: { organization: true, versions: { where: { state: 'signed' }, orderBy: { version: 'asc' }, take: 1 } },
  })
  // A zero report the month close filed (to bill a base fee or settle a guarantee) is not the partner's
  // report: the partner is still reminded to file theirs. One query for every contract's reports.
  const filed = contracts.length
    ? await db.royaltyReport.findMany({
        where: { contractId: { in: contracts.map((c) => c.id) }, status: 'current', source: { not: 'period_close' } },
        select: { contractId: true, periodStart: true, periodEnd: true },
      })
    : []
  const out: DueReport[] = []
  for (const c of contracts) {
    const t = termsOfVersion(c.versions[0])
    if (!t) continue
    const reports = filed.filter((r) => r.contractId === c.id)
    const covered = (start: string, end: string) =>
      reports.some((r) => day(r.periodStart) === start && day(r.periodEnd) === end) ||
      [0, 1, 2].every((m) =>
        reports.some((r) => day(r.periodStart) === addMonths(start, m) && day(r.periodEnd) === addMonths(start, m + 1)),
      )
    const quarterMonth = Math.floor((Number(t.term.start.slice(5, 7)) - 1) / 3) * 3 + 1
    const first = `${t.term.start.slice(0, 4)}-${String(quarterMonth).padStart(2, '0')}-01`
    for (let start = first; start <= t.term.end; start = addMonths(start, 3)) {
      const end = addMonths(start, 3)
      const due = plusDays(end, REPORT_DUE_DAYS - 1)
      if (due > plusDays(today, horizonDays)) break
      if (covered(start, end)) continue
      out.push({
        organizationId: c.organizationId,
        partner: c.organization.name,
        partnerSlug: c.organization.slug,
        contractId: c.id,
        contract: contractNumber(c.seq, c.createdAt),
        period: periodOf(start, 3).tag,
        due,
        daysLate: Math.round((Date.parse(today) - Date.parse(due)) / 86_400_000),
      })
    }
  }
  return out.sort((a, b) => a.due.localeCompare(b.due) || a.partner.localeCompare(b.partner))
}

/** Reminds partners 7 days before a report is due, the day after, and two weeks after; each once. */
export async function remindMissingReports(): Promise<number> {
  const today = todayUtc()
  let sent = 0
  for (const r of await dueReports(unscopedDb('platform job'), today, 7)) {
    const step = REMIND_DAYS.filter((d) => r.daysLate >= d).at(-1)
    if (step === undefined) continue
    const people = await membersOfOrganization(r.organizationId, ['partner_finance', 'partner_admin'])
    for (const m of people) {
      await sendEmail({
        idempotencyKey: `report-reminder:${r.contractId}:${r.period}:${step}:${m.user.email}`,
        to: m.user.email,
        ...renderEmail(
          r.daysLate > 0
            ? `Your ${r.period} royalty report is ${r.daysLate} days late`
            : `Your ${r.period} royalty report is due on ${r.due}`,
          [
            `Hello ${m.user.name},`,
            `The shipment report for ` +
              `${r.period} under ${r.contract} ${r.daysLate > 0 ? `was due on ${r.due}` : `is due on ${r.due}`}. ` +
              'If nothing shipped, file a zero report: it takes one click.',
          ],
          { label: 'Submit the report', url: `${appUrl()}/portal/${r.partnerSlug}/reports` },
        ),
      })
      sent++
    }
  }
  return sent
}

export const handleMissingReports: JobHandler<'royalties.missing-reports'> = async () => {
  await remindMissingReports()
}
