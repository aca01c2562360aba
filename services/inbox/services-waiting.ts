import type { Prisma } from '../platform/db/generated/client.ts'
import { moneyIn } from '../engagements/engagement-money.ts'
import { canAsStaff, type Actor } from '../identity/actor.ts'
import { allPartnersScope } from '../tenancy/tenant-guard.ts'
import { isoDay, ROWS_PER_SOURCE, type InboxSourceReader } from './inbox-item.ts'

const hours = (minutes: number) => `${(minutes / 60).toLocaleString('en-US', { maximumFractionDigits: 2 })} h`

const tasks = (entries: { task: string }[]) => [...new Set(entries.map((x) => x.task))].join('; ')

// Only an engagement's lead decides its weeks (timesheet-rules.ts), never their own.
const weeksFor = (actor: Actor): Prisma.TimesheetWhereInput => ({
  status: 'submitted',
  engagement: { leadId: actor.userId },
  userId: { not: actor.userId },
})

export const waitingTimesheets: InboxSourceReader = {
  source: 'timesheet',
  applies: (actor) => canAsStaff(actor, 'time.approve'),
  count: (actor) => allPartnersScope(actor, 'time.approve').db.timesheet.count({ where: weeksFor(actor) }),
  async list(actor) {
    const { db } = allPartnersScope(actor, 'time.approve')
    const weeks = await db.timesheet.findMany({
      where: weeksFor(actor),
      include: {
        user: { select: { name: true } },
        engagement: { select: { title: true, organization: { select: { name: true } } } },
        entries: { select: { minutes: true, task: true } },
      },
      orderBy: { submittedAt: 'asc' },
      take: ROWS_PER_SOURCE,
    })
    return weeks.map((t) => ({
      source: 'timesheet',
      id: t.id,
      organizationId: t.organizationId,
      kind: 'Timesheet',
      title: `${t.user.name}, week of ${isoDay(t.weekStart)}: ${hours(t.entries.reduce((s, x) => s + x.minutes, 0))}`,
      detail: `${t.engagement.title} (${t.engagement.organization.name}) · ${tasks(t.entries)}`,
      since: isoDay(t.submittedAt ?? t.createdAt),
      href: `/services/engagements/${t.engagementId}`,
      approveBlocked: null,
    }))
  },
}

// The engagement's lead, or a services lead for any engagement; never the person who spent it (decide-expense.ts).
const expensesFor = (actor: Actor): Prisma.EngagementExpenseWhereInput => ({
  status: 'submitted',
  userId: { not: actor.userId },
  ...(!canAsStaff(actor, 'services.manage') && { engagement: { leadId: actor.userId } }),
})

export const waitingExpenses: InboxSourceReader = {
  source: 'expense',
  applies: (actor) => canAsStaff(actor, 'expenses.approve'),
  count: (actor) =>
    allPartnersScope(actor, 'expenses.approve').db.engagementExpense.count({ where: expensesFor(actor) }),
  async list(actor) {
    const { db } = allPartnersScope(actor, 'expenses.approve')
    const expenses = await db.engagementExpense.findMany({
      where: expensesFor(actor),
      omit: { receiptBytes: true },
      include: {
        user: { select: { name: true } },
        engagement: { select: { title: true, currency: true, organization: { select: { name: true } } } },
      },
      orderBy: { createdAt: 'asc' },
      take: ROWS_PER_SOURCE,
    })
    return expenses.map((x) => ({
      source: 'expense',
      id: x.id,
      organizationId: x.organizationId,
      kind: 'Expense',
      title: `${x.user.name}: ${x.description}, ${moneyIn(x.amountMinor, x.engagement.currency)}`,
      detail: `${x.engagement.title} (${x.engagement.organization.name}) · ${isoDay(x.day)}, ${x.receiptFilename}`,
      since: isoDay(x.createdAt),
      href: `/services/engagements/${x.engagementId}`,
      approveBlocked: null,
    }))
  },
}
