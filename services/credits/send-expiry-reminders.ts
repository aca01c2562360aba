import { unscopedDb } from '../platform/db/unscoped.ts'
import { newId } from '../platform/db/ids.ts'
import { appUrl } from '../platform/config/env.ts'
import { renderEmail } from '../platform/email/render-email.ts'
import { enqueueJob } from '../platform/jobs/enqueue-job.ts'
import type { JobHandler } from '../platform/jobs/define-job.ts'
import { now } from '../platform/clock.ts'
import { systemScope } from '../tenancy/tenant-guard.ts'
import { lockLots } from './lots.ts'
import { REMINDER_DAYS, usd, lastDayOf } from './program-terms.ts'

const DAY = 86_400_000

/**
 * Reminds contributors of credits about to expire, at 60, 30 and 7 days before, each once per lot
 * (a row per lot and threshold, written with the email in one transaction). A run that finds
 * several thresholds passed at once (the job was down) sends the nearest one and records the others.
 */
export async function sendExpiryReminders(): Promise<{ sent: number }> {
  const at = now()
  const soon = await unscopedDb('platform job').creditGrant.findMany({
    where: {
      status: 'approved',
      revokedAt: null,
      paused: false,
      expiresAt: { gt: at, lte: new Date(at.getTime() + Math.max(...REMINDER_DAYS) * DAY) },
    },
    select: {
      id: true,
      organizationId: true,
      email: true,
      expiresAt: true,
      reminders: { select: { daysBefore: true } },
      organization: { select: { slug: true, memberships: { select: { user: { select: { email: true } } } } } },
    },
  })
  let sent = 0
  for (const g of soon) {
    const passed = REMINDER_DAYS.filter(
      (d) => at.getTime() >= g.expiresAt!.getTime() - d * DAY && !g.reminders.some((r) => r.daysBefore === d),
    )
    if (passed.length === 0) continue
    const nearest = Math.min(...passed)
    const scope = await systemScope(g.organizationId)
    await scope.db.$transaction(async (tx) => {
      const [lot] = await lockLots(tx, g.organizationId, g.id)
      if (!lot || lot.remainingMinor <= 0n) return
      for (const d of passed) {
        const inserted = await tx.$executeRaw`
          INSERT INTO "CreditReminder" ("id", "organizationId", "grantId", "daysBefore", "sent", "createdAt")
          VALUES (${newId()}, ${g.organizationId}, ${g.id}, ${d}, ${d === nearest}, ${at})
          ON CONFLICT ("grantId", "daysBefore") DO NOTHING`
        if (inserted === 0 || d !== nearest) continue
        const lastDay = lastDayOf(g.expiresAt!)
        const days = Math.ceil((g.expiresAt!.getTime() - at.getTime()) / DAY)
        const link = `${appUrl()}/rewards/${g.organization.slug}`
        for (const to of new Set([g.email, ...g.organization.memberships.map((m) => m.user.email)]))
          await enqueueJob(tx, 'email.send', {
            to,
            ...renderEmail(
              `${usd(lot.remainingMinor)} of your GGML Cloud credits expire in ${days} days`,
              [`${usd(lot.remainingMinor)} of your contributor credits expire at the end of ${lastDay} (UTC).`],
              { label: 'See your credits', url: link },
            ),
          })
        sent++
      }
    })
  }
  return { sent }
}

export const handleCreditReminders: JobHandler<'credits.send-reminders'> = async () => {
  await sendExpiryReminders()
}
