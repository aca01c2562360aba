import { appUrl } from '../platform/config/env.ts'
import { membersOf } from '../organizations/members.ts'
import { renderEmail } from '../platform/email/render-email.ts'
import { sendEmail } from '../platform/email/send-email.ts'
import type { JobHandler } from '../platform/jobs/define-job.ts'
import { toCurrency } from '../kernel/money/currency.ts'
import { formatMoney, money } from '../kernel/money/money.ts'
import { systemScope } from '../tenancy/tenant-guard.ts'
import { partnerStatement } from './partner-statement.ts'

/** Mails a partner's statement for a period to its finance people, once per period and person. */
export async function emailStatement(organizationId: string, period: string): Promise<number> {
  const scope = await systemScope(organizationId)
  const s = await partnerStatement(scope, period)
  const people = await membersOf(scope, ['partner_finance', 'partner_admin'])
  const summary = s.accounts.map(
    (a) =>
      `${a.currency}: charges for ${s.period} ${formatMoney(money(a.chargesTotalMinor, toCurrency(a.currency)))}; ` +
      `account opening ${formatMoney(money(a.openingMinor, toCurrency(a.currency)))}, ` +
      `${a.activity.length} posting(s), closing ${formatMoney(money(a.closingMinor, toCurrency(a.currency)))}.`,
  )
  for (const m of people) {
    await sendEmail({
      idempotencyKey: `statement:${organizationId}:${s.period}:${m.user.email}`,
      to: m.user.email,
      ...renderEmail(
        `Your ggml statement for ${s.period}`,
        [
          `Hello ${m.user.name},`,
          `Your statement of account for ${s.period} is ready.`,
          ...(summary.length ? summary : ['Nothing was posted in this period.']),
          'Every charge on it comes with the arithmetic behind it; the PDF and CSV are in the portal.',
        ],
        {
          label: 'Open the statement',
          url: `${appUrl()}/portal/${scope.organization.slug}/statement?period=${s.period}`,
        },
      ),
    })
  }
  return people.length
}

export const handleEmailStatement: JobHandler<'royalties.email-statement'> = async ({ organizationId, period }) => {
  await emailStatement(organizationId, period)
}
