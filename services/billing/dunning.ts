import { appUrl } from '../platform/config/env.ts'
import { membersOfOrganization } from '../organizations/members.ts'
import { todayUtc } from '../platform/clock.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { renderEmail } from '../platform/email/render-email.ts'
import { sendEmail } from '../platform/email/send-email.ts'
import type { JobHandler } from '../platform/jobs/define-job.ts'
import { toCurrency } from '../kernel/money/currency.ts'
import { formatMoney, money } from '../kernel/money/money.ts'
import { recordWebhookEvent } from '../webhooks/record-webhook-event.ts'

export const DUNNING_DAYS = [1, 14, 30, 60] as const

/**
 * Once a day: reminds partners of overdue invoices at 1, 14, 30 and 60 days, each reminder once
 * (idempotency key per invoice, step and recipient). Amounts under an open dispute are held out.
 */
export async function runDunning(): Promise<number> {
  const today = todayUtc()
  const overdue = await unscopedDb('platform job').invoice.findMany({
    where: { status: 'open', dueDate: { lt: new Date(`${today}T00:00:00Z`) } },
  })
  let sent = 0
  for (const inv of overdue) {
    const disputed =
      (
        await unscopedDb('platform job').dispute.aggregate({
          where: { invoiceId: inv.id, status: 'open' },
          _sum: { amountMinor: true },
        })
      )._sum.amountMinor ?? 0n
    const chase = inv.amountDueMinor - inv.amountPaidMinor - disputed
    if (chase <= 0n) continue
    const late = Math.round((Date.parse(today) - inv.dueDate!.getTime()) / 86_400_000)
    const step = DUNNING_DAYS.filter((d) => late >= d).at(-1)
    if (step === undefined) continue
    // The partner's systems hear it once per invoice (the event's key), whichever run first sees it late.
    await unscopedDb('platform job').$transaction((tx) =>
      recordWebhookEvent(
        tx,
        inv.organizationId,
        'invoice.overdue',
        {
          invoiceId: inv.id,
          number: inv.number,
          currency: inv.currency,
          amountDueMinor: chase.toString(),
          dueDate: inv.dueDate!.toISOString().slice(0, 10),
        },
        { once: `invoice.overdue:${inv.id}` },
      ),
    )
    const org = await unscopedDb('platform job').organization.findUniqueOrThrow({ where: { id: inv.organizationId } })
    const people = await membersOfOrganization(inv.organizationId, ['partner_finance', 'partner_admin'])
    const amount = formatMoney(money(chase, toCurrency(inv.currency)))
    for (const m of people) {
      await sendEmail({
        idempotencyKey: `dunning:${inv.id}:${step}:${m.user.email}`,
        to: m.user.email,
        ...renderEmail(
          `Invoice ${inv.number ?? inv.id} is ${late} days overdue`,
          [
            `Hello ${m.user.name},`,
            `${amount} of invoice ${inv.number ?? ''} (${inv.description}) was due on ` +
              `${inv.dueDate!.toISOString().slice(0, 10)}.` +
              (disputed > 0n
                ? ` ${formatMoney(money(disputed, toCurrency(inv.currency)))} under dispute is not included.`
                : '') +
              ' If you disagree with a charge, open a dispute in the portal.',
          ],
          { label: 'See your invoices', url: `${appUrl()}/portal/${org.slug}/invoices` },
        ),
      })
      sent++
    }
  }
  return sent
}

export const handleDunning: JobHandler<'billing.dunning'> = async () => {
  await runDunning()
}
