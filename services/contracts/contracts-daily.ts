import { appUrl } from '../platform/config/env.ts'
import { ggmlMembers, membersOfOrganization } from '../organizations/members.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { renderEmail } from '../platform/email/render-email.ts'
import { sendEmail } from '../platform/email/send-email.ts'
import type { JobHandler } from '../platform/jobs/define-job.ts'
import { roleGrants } from '../identity/permissions.ts'
import { systemScope } from '../tenancy/tenant-guard.ts'
import { todayUtc } from '../platform/clock.ts'
import { addMonths } from '../kernel/calendar/months.ts'
import { currentTermEnd } from './current-term-end.ts'
import { recordContractEvent } from './record-contract-event.ts'
import { contractNumber } from './contract-number.ts'
import { termsOfVersion } from '../rating/contract-terms.ts'
import { refreshContractStatus } from './refresh-contract-status.ts'

export const EXPIRY_REMINDER_DAYS = [90, 30, 7] as const
export const NOTICE_REMINDER_DAYS = [30, 7] as const

const daysBetween = (a: string, b: string) =>
  Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000)

/**
 * Once a day: moves signed contracts to active when their term starts and to expired when it ends,
 * and mails reminders before expiry and before the renewal notice deadline. Each reminder has its
 * own idempotency key (contract, date, threshold, recipient), so reruns and missed days send each
 * one exactly once.
 */
export async function runContractsDaily(): Promise<{ statusChanges: number; reminders: number }> {
  const today = todayUtc()
  const contracts = await unscopedDb('platform job').contract.findMany({
    where: { terminatedAt: null, status: { in: ['signed', 'active'] } },
    include: { versions: { where: { state: 'signed' }, orderBy: { version: 'desc' } }, organization: true },
  })
  let statusChanges = 0
  let reminders = 0
  for (const contract of contracts) {
    const scope = await systemScope(contract.organizationId)
    await scope.db.$transaction(async (tx) => {
      const { before, after } = await refreshContractStatus(tx, contract.id)
      if (before !== after) {
        statusChanges++
        await recordContractEvent(tx, scope, {
          contractId: contract.id,
          type: after === 'active' ? 'activated' : after,
          details: { on: today },
        })
      }
    })
    const terms = termsOfVersion(contract.versions[0])
    if (!terms) continue
    const end = currentTermEnd(terms, today)
    const number = contractNumber(contract.seq, contract.createdAt)
    const due: { key: string; subject: string; text: string }[] = []
    const toEnd = daysBetween(today, end)
    const expiry = EXPIRY_REMINDER_DAYS.filter((d) => toEnd >= 0 && toEnd <= d).at(-1)
    if (expiry !== undefined && terms.term.renewal.kind !== 'automatic') {
      due.push({
        key: `expiry:${end}:${expiry}`,
        subject: `${number} ends on ${end}`,
        text: `${contract.title} (${number}) with ${contract.organization.name} ends on ${end}, in ${toEnd} days. ${
          terms.term.renewal.kind === 'by_agreement'
            ? 'Renewal is by mutual ' + 'agreement: start the conversation now.'
            : 'It does not renew.'
        }`,
      })
    }
    if (terms.term.renewal.kind !== 'none' && terms.term.renewal.noticeDays > 0) {
      const deadline = addDays(end, -terms.term.renewal.noticeDays)
      const toDeadline = daysBetween(today, deadline)
      const notice = NOTICE_REMINDER_DAYS.filter((d) => toDeadline >= 0 && toDeadline <= d).at(-1)
      if (notice !== undefined) {
        const renewsTo =
          terms.term.renewal.kind === 'automatic' ? addMonths(end, terms.term.renewal.periodMonths) : null
        due.push({
          key: `notice:${deadline}:${notice}`,
          subject: `${number}: renewal notice due by ${deadline}`,
          text:
            `${contract.title} (${number}) with ${contract.organization.name}: notice of non-renewal is ` +
            `due by ${deadline}, in ${toDeadline} days.${
              renewsTo ? ` Without notice it renews ` + `automatically until ${renewsTo}.` : ''
            }`,
        })
      }
    }
    if (!due.length) continue
    for (const person of await reminderRecipients(contract.organizationId)) {
      for (const r of due) {
        await sendEmail({
          idempotencyKey: `contract-reminder:${contract.id}:${r.key}:${person.email}`,
          to: person.email,
          ...renderEmail(r.subject, [`Hello ${person.name},`, r.text], {
            label: 'Open the contract',
            url: person.staff
              ? `${appUrl()}/contracts/${contract.id}`
              : `${appUrl()}/portal/${contract.organization.slug}/contracts/${contract.id}`,
          }),
        })
        reminders++
      }
    }
  }
  return { statusChanges, reminders }
}

/** Partner admins of the organization and ggml's partner managers. */
async function reminderRecipients(organizationId: string) {
  const members = [
    ...(await membersOfOrganization(organizationId, ['partner_admin'])),
    ...((await ggmlMembers(['partner_manager']))?.members ?? []),
  ]
  return members
    .filter(
      (m) => !m.user.disabledAt && (roleGrants(m.role, 'contracts.view') || roleGrants(m.role, 'contracts.draft')),
    )
    .map((m) => ({ email: m.user.email, name: m.user.name, staff: m.organizationId !== organizationId }))
}

const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)

export const handleContractsDaily: JobHandler<'contracts.daily'> = async () => {
  await runContractsDaily()
}
