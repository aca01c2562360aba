import { z } from 'zod'
import { auditActorOf, recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { AppError } from '../platform/errors/app-error.ts'
import type { Actor } from '../identity/actor.ts'
import { assertCanAsStaff } from '../tenancy/tenant-guard.ts'
import { currencyCodes } from '../kernel/money/currency.ts'
import { formatMoney } from '../kernel/money/money.ts'
import { isoDay } from './log-week.ts'
import { amountFor, selectRate } from './select-rate.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

export const repriceSchema = z.object({
  rateRole: z
    .string()
    .trim()
    .regex(/^[a-z_]{2,40}$/),
  // A code we have no money format for reached formatMoney and failed with a 500 (issue 24).
  currency: z.enum(currencyCodes, 'Choose a currency.'),
})

/**
 * What the rate card now says for approved time no invoice has billed yet, entry by entry: the
 * preview the services lead reads before agreeing, and the change when they do. Invoiced time keeps
 * its price (the database refuses to change it).
 */
export async function repriceUninvoiced(actor: Actor, input: z.input<typeof repriceSchema>, apply: boolean) {
  assertCanAsStaff(actor, 'services.manage')
  const f = parseInput(repriceSchema, input)
  const rates = (
    await unscopedDb('catalogue').rateCard.findMany({ where: { rateRole: f.rateRole, currency: f.currency } })
  ).map((r) => ({
    ...r,
    effectiveFrom: isoDay(r.effectiveFrom),
  }))
  const entries = await unscopedDb('staff view').timeEntry.findMany({
    where: {
      invoiceEntryId: null,
      timesheet: { status: { in: ['approved', 'locked'] } },
      engagement: { currency: f.currency },
    },
    include: { timesheet: { select: { userId: true } }, engagement: { include: { members: true } } },
  })
  const changes = entries.flatMap((x) => {
    const member = x.engagement.members.find((m) => m.userId === x.timesheet.userId)
    if (member?.rateRole !== f.rateRole) return []
    const rate = selectRate(rates, {
      rateRole: f.rateRole,
      currency: f.currency,
      customerId: x.organizationId,
      engagementId: x.engagementId,
      day: isoDay(x.day),
    })
    if (!rate || rate.rateMinor === x.rateMinor) return []
    return [
      { id: x.id, rateMinor: rate.rateMinor, amountMinor: amountFor(x.minutes, rate.rateMinor), was: x.amountMinor! },
    ]
  })
  const deltaMinor = changes.reduce((s, c) => s + c.amountMinor - c.was, 0n)
  const summary = {
    entries: changes.length,
    delta: formatMoney({ minor: deltaMinor, currency: f.currency }),
  }
  if (!apply || changes.length === 0) return summary
  await unscopedDb('staff view').$transaction(async (tx) => {
    for (const c of changes) {
      const n = await tx.timeEntry.updateMany({
        where: { id: c.id, invoiceEntryId: null },
        data: { rateMinor: c.rateMinor, amountMinor: c.amountMinor },
      })
      if (n.count === 0)
        throw new AppError('conflict', 'An invoice run billed some of this time meanwhile; look again.')
    }
    await recordAuditEvent(tx, {
      actor: auditActorOf({ actor }),
      organizationId: null,
      action: 'time.reprice',
      targetType: 'rate_card',
      targetId: `${f.rateRole}:${f.currency}`,
      changes: { entries: changes.length, deltaMinor: deltaMinor.toString() },
    })
  })
  return summary
}
