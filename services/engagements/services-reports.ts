import { addDays, daysBetween } from '../kernel/calendar/months.ts'
import type { Actor } from '../identity/actor.ts'
import { todayUtc } from '../platform/clock.ts'
import { allPartnersScope } from '../tenancy/tenant-guard.ts'
import { budgetStatus } from './budget-status.ts'
import { moneyIn } from './engagement-money.ts'

/** A person's capacity: 8 hours on each weekday of the range. */
export const HOURS_PER_WEEKDAY = 8

export function weekdaysIn(from: string, to: string): number {
  let n = 0
  for (let d = from; d <= to; d = addDays(d, 1)) {
    const w = new Date(`${d}T00:00:00Z`).getUTCDay()
    if (w !== 0 && w !== 6) n++
  }
  return n
}

const pct = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1000) / 10 : 0)

/**
 * Utilization per consultant over a range: approved hours on customers' engagements (billable work,
 * whatever the contract type) over capacity (8 h per weekday). Submitted time is shown, not counted.
 */
export async function utilization(actor: Actor, range: { from: string; to: string }) {
  const { db } = allPartnersScope(actor, 'services.view')
  const rows = await db.$queryRaw<{ userId: string; name: string; approved: bigint; submitted: bigint }[]>`
    SELECT u."id" AS "userId", u."name",
           COALESCE(SUM(t."minutes") FILTER (WHERE s."status" IN ('approved', 'locked', 'invoiced')), 0)::bigint
             AS approved,
           COALESCE(SUM(t."minutes") FILTER (WHERE s."status" = 'submitted'), 0)::bigint AS submitted
      FROM "User" u
      JOIN "Membership" ms ON ms."userId" = u."id" AND ms."role" IN ('consultant', 'services_lead')
      JOIN "Organization" g ON g."id" = ms."organizationId" AND g."kind" = 'ggml'
      LEFT JOIN "Timesheet" s ON s."userId" = u."id"
      LEFT JOIN "TimeEntry" t ON t."timesheetId" = s."id" AND t."day" BETWEEN ${range.from}::date AND ${range.to}::date
     WHERE u."disabledAt" IS NULL
     GROUP BY u."id", u."name" ORDER BY u."name"`
  const capacity = weekdaysIn(range.from, range.to) * HOURS_PER_WEEKDAY
  return rows.map((r) => {
    const billable = Number(r.approved) / 60
    return {
      userId: r.userId,
      person: r.name,
      billableHours: billable,
      submittedHours: Number(r.submitted) / 60,
      capacityHours: capacity,
      utilization: pct(billable, capacity),
    }
  })
}

/**
 * Margin per engagement over a range: revenue is approved time at its billed rate (time and
 * materials, retainers) or accepted milestones (fixed price); cost is approved hours at each person's
 * cost rate. Expenses pass through at cost and are left out of both. Money is per currency, never summed.
 */
export async function margins(actor: Actor, range: { from: string; to: string }) {
  const { db } = allPartnersScope(actor, 'services.view')
  const rows = await db.$queryRaw<
    {
      id: string
      title: string
      customer: string
      type: string
      currency: string
      budgetMinutes: number
      budgetMinor: bigint
      startsOn: Date
      endsOn: Date | null
      minutes: bigint
      timeValue: bigint
      cost: bigint
      milestones: bigint
      allMinutes: bigint
    }[]
  >`
    SELECT e."id", e."title", o."name" AS customer, e."type"::text AS type, e."currency",
           e."budgetMinutes", e."budgetMinor", e."startsOn", e."endsOn",
           COALESCE(tm.minutes, 0)::bigint AS minutes, COALESCE(tm.value, 0)::bigint AS "timeValue",
           COALESCE(tm.cost, 0)::bigint AS cost, COALESCE(ms.amount, 0)::bigint AS milestones,
           COALESCE(al.minutes, 0)::bigint AS "allMinutes"
      FROM "Engagement" e
      JOIN "Organization" o ON o."id" = e."organizationId"
      LEFT JOIN LATERAL (
        SELECT SUM(t."minutes") AS minutes, SUM(t."amountMinor") AS value,
               SUM(ROUND(t."minutes" * m."costRateMinor" / 60.0)) AS cost
          FROM "TimeEntry" t JOIN "Timesheet" s ON s."id" = t."timesheetId"
          LEFT JOIN "EngagementMember" m ON m."engagementId" = e."id" AND m."userId" = s."userId"
         WHERE t."engagementId" = e."id" AND s."status" IN ('approved', 'locked', 'invoiced')
           AND t."day" BETWEEN ${range.from}::date AND ${range.to}::date) tm ON true
      LEFT JOIN LATERAL (
        SELECT SUM(x."amountMinor") AS amount FROM "EngagementMilestone" x
         WHERE x."engagementId" = e."id" AND x."status" = 'accepted'
           AND x."acceptedAt" >= ${range.from}::date AND x."acceptedAt" < ${range.to}::date + 1) ms ON true
      LEFT JOIN LATERAL (
        SELECT SUM(t."minutes") AS minutes FROM "TimeEntry" t JOIN "Timesheet" s ON s."id" = t."timesheetId"
         WHERE t."engagementId" = e."id" AND s."status" IN ('approved', 'locked', 'invoiced')) al ON true
     WHERE e."status" <> 'draft'
     ORDER BY o."name", e."title"`
  const today = todayUtc()
  return rows.map((r) => {
    const revenue = r.type === 'fixed_price' ? BigInt(r.milestones) : BigInt(r.timeValue)
    const cost = BigInt(r.cost)
    const margin = revenue - cost
    // Estimate at completion: the hours so far, plus the pace so far over the days left.
    const start = r.startsOn.toISOString().slice(0, 10)
    const end = r.endsOn?.toISOString().slice(0, 10)
    const elapsed = Math.max(1, daysBetween(start, today < start ? start : today) + 1)
    const left = end && end > today ? daysBetween(today, end) : 0
    const all = Number(r.allMinutes) / 60
    const eac = Math.round((all + (all / elapsed) * left) * 10) / 10
    return {
      id: r.id,
      engagement: r.title,
      customer: r.customer,
      type: r.type,
      currency: r.currency,
      hours: Number(r.minutes) / 60,
      revenueMinor: revenue,
      costMinor: cost,
      marginMinor: margin,
      revenue: moneyIn(revenue, r.currency),
      cost: moneyIn(cost, r.currency),
      margin: moneyIn(margin, r.currency),
      marginPct: revenue > 0n ? Number((margin * 1000n) / revenue) / 10 : 0,
      budgetHours: r.budgetMinutes / 60,
      hoursToDate: all,
      eacHours: eac,
      eacPct: pct(eac, r.budgetMinutes / 60),
      budget: budgetStatus(all, eac, r.budgetMinutes / 60),
    }
  })
}
