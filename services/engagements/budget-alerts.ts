import type { Tx } from '../platform/db/client.ts'
import { newId } from '../platform/db/ids.ts'
import { moneyIn } from './engagement-money.ts'
import { now } from '../platform/clock.ts'
import { mailEach } from './notify.ts'
import { activeMember } from '../identity/active-member.ts'

export const BUDGET_THRESHOLDS = [50, 75, 90, 100] as const

/** The thresholds a share of the budget has reached (a share of 0.8 has reached 50 and 75). */
export const reached = (used: bigint, budget: bigint): number[] =>
  budget <= 0n ? [] : BUDGET_THRESHOLDS.filter((t) => used * 100n >= budget * BigInt(t))

/**
 * After approved time changes an engagement's burn: each threshold of hours or money it has now
 * reached is recorded once (a unique row) and mailed, with the record, to the lead and the services
 * leads. Called inside the approval's transaction, so an alert exists if and only if the approval does.
 */
export async function alertBudget(tx: Tx, engagementId: string): Promise<string[]> {
  const e = await tx.engagement.findUniqueOrThrow({
    where: { id: engagementId },
    include: { lead: { select: { email: true } }, organization: { select: { name: true } } },
  })
  // Money burn is approved time plus approved expenses; hours are time alone.
  const [burn] = await tx.$queryRaw<{ minutes: bigint; amount: bigint }[]>`
    SELECT COALESCE(SUM(t."minutes"), 0)::bigint AS minutes,
           (COALESCE(SUM(t."amountMinor"), 0) + (SELECT COALESCE(SUM(x."amountMinor"), 0) FROM "EngagementExpense" x
              WHERE x."engagementId" = ${engagementId} AND x."status" = 'approved'))::bigint AS amount
      FROM "TimeEntry" t JOIN "Timesheet" s ON s."id" = t."timesheetId"
     WHERE t."engagementId" = ${engagementId} AND s."status" IN ('approved', 'locked', 'invoiced')`
  const sent: string[] = []
  const leads = await tx.membership.findMany({
    where: { role: 'services_lead', organization: { kind: 'ggml' }, ...activeMember },
    select: { user: { select: { email: true } } },
  })
  const to = [...new Set([e.lead.email, ...leads.map((l) => l.user.email)])]
  const measures = [
    {
      measure: 'hours',
      hit: reached(burn!.minutes, BigInt(e.budgetMinutes)),
      words: `${Number(burn!.minutes) / 60} of ${e.budgetMinutes / 60} hours`,
    },
    {
      measure: 'money',
      hit: reached(burn!.amount, e.budgetMinor),
      words: `${moneyIn(burn!.amount, e.currency)} of ${moneyIn(e.budgetMinor, e.currency)}`,
    },
  ]
  for (const m of measures) {
    const fresh: number[] = []
    for (const threshold of m.hit) {
      const n = await tx.$executeRaw`
        INSERT INTO "EngagementBudgetAlert"
          ("id", "organizationId", "engagementId", "measure", "threshold", "createdAt")
        VALUES (${newId()}, ${e.organizationId}, ${e.id}, ${m.measure}, ${threshold}, ${now()})
        ON CONFLICT ("engagementId", "measure", "threshold") DO NOTHING`
      if (n > 0) fresh.push(threshold)
    }
    if (fresh.length === 0) continue
    const top = Math.max(...fresh)
    sent.push(`${m.measure} ${top}%`)
    await mailEach(
      tx,
      to,
      `${e.title}: ${top}% of the ${m.measure === 'hours' ? 'hours' : 'money'} budget used`,
      [`${e.organization.name}'s engagement “${e.title}” has used ${m.words} in approved time and expenses.`],
      { label: 'Open the engagement', path: `/services/engagements/${e.id}` },
    )
  }
  return sent
}
