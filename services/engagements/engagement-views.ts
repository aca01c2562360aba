import { unscopedDb } from '../platform/db/unscoped.ts'
import type { Actor } from '../identity/actor.ts'
import { canAsStaff } from '../identity/actor.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { daysOfWeek, isoDay, weekOf } from './log-week.ts'
import { moneyIn } from './engagement-money.ts'

const hours = (minutes: number) => `${(minutes / 60).toLocaleString('en-US', { maximumFractionDigits: 2 })} h`

type Burnable = {
  budgetMinutes: number
  budgetMinor: bigint
  currency: string
  timesheets: { status: string; entries: { minutes: number; amountMinor: bigint | null }[] }[]
  expenses?: { status: string; amountMinor: bigint }[]
}

/**
 * Burn counts approved time (approved, locked, invoiced) and, in money, approved expenses; submitted
 * time is shown beside it.
 */
export function burnOf(e: Burnable) {
  const counted = e.timesheets.filter((t) => ['approved', 'locked', 'invoiced'].includes(t.status))
  const pending = e.timesheets.filter((t) => t.status === 'submitted')
  const minutes = counted.flatMap((t) => t.entries).reduce((s, x) => s + x.minutes, 0)
  const amount =
    counted.flatMap((t) => t.entries).reduce((s, x) => s + (x.amountMinor ?? 0n), 0n) +
    (e.expenses ?? []).filter((x) => x.status === 'approved').reduce((s, x) => s + x.amountMinor, 0n)
  const pendingMinutes = pending.flatMap((t) => t.entries).reduce((s, x) => s + x.minutes, 0)
  const share = e.budgetMinutes ? minutes / e.budgetMinutes : 0
  return {
    hours: hours(minutes),
    budgetHours: hours(e.budgetMinutes),
    remainingHours: hours(Math.max(0, e.budgetMinutes - minutes)),
    pendingHours: hours(pendingMinutes),
    amount: moneyIn(amount, e.currency),
    budget: moneyIn(e.budgetMinor, e.currency),
    remaining: moneyIn(e.budgetMinor - amount > 0n ? e.budgetMinor - amount : 0n, e.currency),
    hoursShare: Math.round(share * 1000) / 10,
    moneyShare: e.budgetMinor > 0n ? Number((amount * 1000n) / e.budgetMinor) / 10 : 0,
  }
}

type MilestoneRow = {
  id: string
  seq: number
  title: string
  amountMinor: bigint
  dueOn: Date | null
  status: string
  acceptBy: Date | null
  acceptedAt: Date | null
  acceptedById: string | null
  rejectionReason: string | null
  invoiceEntryId: string | null
}

const milestoneView = (currency: string) => (m: MilestoneRow) => ({
  id: m.id,
  seq: m.seq,
  title: m.title,
  amount: moneyIn(m.amountMinor, currency),
  dueOn: m.dueOn ? isoDay(m.dueOn) : null,
  status: m.invoiceEntryId ? 'invoiced' : m.status,
  acceptBy: m.acceptBy ? isoDay(m.acceptBy) : null,
  acceptance: m.acceptedAt
    ? `${m.acceptedById ? 'accepted' : 'accepted passively'} on ${isoDay(m.acceptedAt)}`
    : m.rejectionReason
      ? `returned: ${m.rejectionReason}`
      : '',
})

type ChangeOrderRow = {
  id: string
  version: number
  budgetMinutes: number
  budgetMinor: bigint
  endsOn: Date | null
  scope: string
  status: string
  decidedAt: Date | null
  declineReason: string | null
  decidedById: string | null
}

/** Who decided each version, by name (people are not tenant data; the versions are). */
async function deciders(rows: ChangeOrderRow[]) {
  const ids = [...new Set(rows.flatMap((r) => (r.decidedById ? [r.decidedById] : [])))]
  const users = await unscopedDb('staff view').user.findMany({
    where: { id: { in: ids } },
    select: { id: true, name: true },
  })
  return new Map(users.map((u) => [u.id, u.name]))
}

const changeOrderView = (currency: string, names: Map<string, string>) => (c: ChangeOrderRow) => ({
  id: c.id,
  version: c.version,
  budget: `${hours(c.budgetMinutes)}, ${moneyIn(c.budgetMinor, currency)}`,
  endsOn: c.endsOn ? isoDay(c.endsOn) : 'open',
  scope: c.scope,
  status: c.status,
  decided: c.decidedAt
    ? `${c.status} on ${isoDay(c.decidedAt)} by ${names.get(c.decidedById ?? '') ?? 'someone no longer here'}` +
      (c.declineReason ? `: ${c.declineReason}` : '')
    : 'waiting for the customer',
})

const withTime = {
  timesheets: { include: { entries: { select: { minutes: true, amountMinor: true } } } },
  expenses: { where: { status: 'approved' }, select: { status: true, amountMinor: true } },
} as const

/** The services dashboard: every engagement with its burn, and the weeks waiting for this person. */
export async function servicesOverview(actor: Actor) {
  const all = canAsStaff(actor, 'services.view')
  const engagements = await unscopedDb('staff view').engagement.findMany({
    where: all ? {} : { OR: [{ leadId: actor.userId }, { members: { some: { userId: actor.userId } } }] },
    include: {
      organization: { select: { name: true, slug: true } },
      lead: { select: { name: true } },
      budgetAlerts: { select: { measure: true, threshold: true } },
      ...withTime,
    },
    orderBy: [{ status: 'asc' }, { startsOn: 'desc' }],
  })
  const waiting = await unscopedDb('staff view').timesheet.findMany({
    where: { status: 'submitted', engagement: { leadId: actor.userId }, userId: { not: actor.userId } },
    include: { user: { select: { name: true } }, engagement: { select: { title: true } }, entries: true },
    orderBy: { weekStart: 'asc' },
  })
  return {
    engagements: engagements.map((e) => ({
      id: e.id,
      title: e.title,
      customer: e.organization.name,
      type: e.type,
      status: e.status,
      lead: e.lead.name,
      burn: burnOf(e),
      alerts: (['hours', 'money'] as const)
        .map((m) => {
          const top = Math.max(0, ...e.budgetAlerts.filter((a) => a.measure === m).map((a) => a.threshold))
          return top ? `${top}% of ${m}` : ''
        })
        .filter(Boolean)
        .join(', '),
    })),
    waiting: waiting.map((t) => ({
      id: t.id,
      organizationId: t.organizationId,
      engagementId: t.engagementId,
      person: t.user.name,
      engagement: t.engagement.title,
      weekStart: isoDay(t.weekStart),
      hours: hours(t.entries.reduce((s, x) => s + x.minutes, 0)),
    })),
  }
}

/** One engagement for the services team: terms, team, burn, and every week of time. */
export async function engagementDetail(actor: Actor, engagementId: string) {
  const e = await unscopedDb('staff view').engagement.findUnique({
    where: { id: engagementId },
    include: {
      organization: { select: { id: true, name: true, slug: true } },
      lead: { select: { id: true, name: true } },
      members: { include: { user: { select: { name: true, email: true } } } },
      timesheets: {
        include: { user: { select: { name: true } }, entries: { orderBy: { day: 'asc' } } },
        orderBy: [{ weekStart: 'desc' }],
      },
      milestones: { orderBy: { seq: 'asc' } },
      expenses: {
        omit: { receiptBytes: true },
        include: { user: { select: { name: true } } },
        orderBy: { day: 'desc' },
      },
      changeOrders: { orderBy: { version: 'desc' } },
    },
  })
  const onTeam = e && (e.leadId === actor.userId || e.members.some((m) => m.userId === actor.userId))
  if (!e || (!canAsStaff(actor, 'services.view') && !onTeam)) throw new AppError('not_found', 'No such engagement.')
  return {
    id: e.id,
    title: e.title,
    customer: e.organization,
    type: e.type,
    status: e.status,
    statusReason: e.statusReason,
    currency: e.currency,
    startsOn: isoDay(e.startsOn),
    endsOn: e.endsOn ? isoDay(e.endsOn) : null,
    lead: e.lead,
    isLead: e.leadId === actor.userId,
    team: e.members.map((m) => ({
      name: m.user.name,
      email: m.user.email,
      rateRole: m.rateRole,
      costRate: moneyIn(m.costRateMinor, e.currency),
    })),
    burn: burnOf(e),
    isMember: e.members.some((m) => m.userId === actor.userId),
    acceptanceDays: e.acceptanceDays,
    sow: {
      outForSignature: Boolean(e.sowEnvelopeId) && e.status === 'draft',
      signed: Boolean(e.sowSignedPdf),
      sha256: e.sowSha256,
      mineToSign: e.status === 'draft' && Boolean(e.sowEnvelopeId) && e.sowGgmlSignerId === actor.userId,
    },
    // Signed outside the platform, waiting for a second person (issue 30); the requester sees it is theirs.
    signedException:
      e.status === 'draft' && e.signedExceptionReason
        ? { reason: e.signedExceptionReason, mine: e.signedExceptionRequestedById === actor.userId }
        : null,
    milestones: e.milestones.map(milestoneView(e.currency)),
    milestonesLeft: moneyIn(e.budgetMinor - e.milestones.reduce((t, m) => t + m.amountMinor, 0n), e.currency),
    expenses: e.expenses.map((x) => ({
      id: x.id,
      person: x.user.name,
      mine: x.userId === actor.userId,
      day: isoDay(x.day),
      description: x.description,
      amount: moneyIn(x.amountMinor, e.currency),
      status: x.invoiceEntryId ? 'invoiced' : x.status,
      rejectionReason: x.rejectionReason,
      receipt: `${x.receiptFilename} (${x.receiptContentType})`,
    })),
    changeOrders: e.changeOrders.map(changeOrderView(e.currency, await deciders(e.changeOrders))),
    weeks: e.timesheets.map((t) => ({
      id: t.id,
      person: t.user.name,
      mine: t.userId === actor.userId,
      weekStart: isoDay(t.weekStart),
      status: t.status,
      rejectionReason: t.rejectionReason,
      hours: hours(t.entries.reduce((s, x) => s + x.minutes, 0)),
      amount: t.entries.every((x) => x.amountMinor !== null)
        ? moneyIn(
            t.entries.reduce((s, x) => s + (x.amountMinor ?? 0n), 0n),
            e.currency,
          )
        : null,
      tasks: [...new Set(t.entries.map((x) => x.task))].join('; '),
    })),
  }
}

/** A consultant's week: each engagement they are on, the hours of that week and what budget is left. */
export async function consultantWeek(actor: Actor, week: string) {
  const weekStart = new Date(`${weekOf(week)}T00:00:00Z`)
  const engagements = await unscopedDb('staff view').engagement.findMany({
    where: { status: 'active', members: { some: { userId: actor.userId } } },
    include: {
      organization: { select: { name: true } },
      ...withTime,
    },
  })
  const sheets = await unscopedDb('staff view').timesheet.findMany({
    where: { userId: actor.userId, weekStart },
    include: { entries: true },
  })
  const past = await unscopedDb('staff view').timesheet.findMany({
    where: { userId: actor.userId, weekStart: { lt: weekStart } },
    include: { engagement: { select: { title: true } }, entries: { select: { minutes: true } } },
    orderBy: { weekStart: 'desc' },
    take: 12,
  })
  const days = daysOfWeek(isoDay(weekStart))
  return {
    weekStart: isoDay(weekStart),
    days,
    rows: engagements.map((e) => {
      const sheet = sheets.find((s) => s.engagementId === e.id)
      return {
        engagementId: e.id,
        organizationId: e.organizationId,
        title: e.title,
        customer: e.organization.name,
        burn: burnOf(e),
        timesheetId: sheet?.id ?? null,
        status: sheet?.status ?? 'draft',
        rejectionReason: sheet?.rejectionReason ?? null,
        task: sheet?.entries[0]?.task ?? '',
        hours: days.map((d) => {
          const m = sheet?.entries.find((x) => isoDay(x.day) === d)?.minutes
          return m ? String(m / 60) : ''
        }),
      }
    }),
    past: past.map((t) => ({
      weekStart: isoDay(t.weekStart),
      engagement: t.engagement.title,
      status: t.status,
      hours: hours(t.entries.reduce((s, x) => s + x.minutes, 0)),
    })),
  }
}

/** The customer's portal: its engagements, hours by week and role, burn, milestones, changes, invoices. */
export async function customerEngagements(scope: TenantScope) {
  assertCan(scope, 'engagements.view')
  const engagements = await scope.db.engagement.findMany({
    // Drafts stay with ggml until their statement of work is sent for the customer's signature.
    where: { OR: [{ status: { not: 'draft' } }, { sowEnvelopeId: { not: null } }] },
    omit: { sowSignedPdf: true },
    include: {
      members: true,
      timesheets: {
        where: { status: { in: ['approved', 'locked', 'invoiced'] } },
        include: { entries: { select: { minutes: true, amountMinor: true, invoiceEntryId: true } } },
        orderBy: { weekStart: 'asc' },
      },
      milestones: { orderBy: { seq: 'asc' } },
      expenses: { where: { status: 'approved' }, omit: { receiptBytes: true }, orderBy: { day: 'asc' } },
      changeOrders: { orderBy: { version: 'desc' } },
    },
    orderBy: { startsOn: 'desc' },
  })
  const billedBy = new Set(
    engagements.flatMap((e) => [
      ...e.timesheets.flatMap((t) => t.entries.map((x) => x.invoiceEntryId)),
      ...e.milestones.map((m) => m.invoiceEntryId),
      ...e.expenses.map((x) => x.invoiceEntryId),
    ]),
  )
  billedBy.delete(null)
  const invoices = await scope.db.invoice.findMany({
    where: { journalEntryId: { in: [...billedBy].filter((id) => id !== null) } },
    orderBy: { createdAt: 'desc' },
  })
  const names = await deciders(engagements.flatMap((e) => e.changeOrders))
  return engagements.map((e) => {
    const byWeek = new Map<string, Map<string, number>>()
    for (const t of e.timesheets) {
      const role = e.members.find((m) => m.userId === t.userId)?.rateRole ?? 'other'
      const w = byWeek.get(isoDay(t.weekStart)) ?? new Map<string, number>()
      w.set(role, (w.get(role) ?? 0) + t.entries.reduce((s, x) => s + x.minutes, 0))
      byWeek.set(isoDay(t.weekStart), w)
    }
    // The burn chart: approved hours, cumulative by week, against the budget.
    let total = 0
    const burnChart = [...byWeek.entries()]
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([week, roles]) => {
        total += [...roles.values()].reduce((t, m) => t + m, 0)
        return { week, hours: total / 60 }
      })
    const mine = new Set([
      ...e.timesheets.flatMap((t) => t.entries.map((x) => x.invoiceEntryId)),
      ...e.milestones.map((m) => m.invoiceEntryId),
      ...e.expenses.map((x) => x.invoiceEntryId),
    ])
    return {
      id: e.id,
      title: e.title,
      type: e.type,
      status: e.status,
      startsOn: isoDay(e.startsOn),
      endsOn: e.endsOn ? isoDay(e.endsOn) : null,
      burn: burnOf(e),
      budgetHours: e.budgetMinutes / 60,
      burnChart,
      weeks: [...byWeek.entries()]
        .sort((a, b) => b[0].localeCompare(a[0]))
        .map(([week, roles]) => ({
          week,
          roles: [...roles.entries()]
            .map(([role, minutes]) => `${role.replaceAll('_', ' ')} ${hours(minutes)}`)
            .join(', '),
        })),
      milestones: e.milestones.map(milestoneView(e.currency)),
      changeOrders: e.changeOrders.map(changeOrderView(e.currency, names)),
      sow: {
        mineToSign: e.status === 'draft' && Boolean(e.sowEnvelopeId) && e.sowCustomerSignerId === scope.actor.userId,
        outForSignature: e.status === 'draft' && Boolean(e.sowEnvelopeId),
        signed: Boolean(e.sowSha256) && e.status !== 'draft',
      },
      expenses: e.expenses.map((x) => ({
        id: x.id,
        day: isoDay(x.day),
        description: x.description,
        amount: moneyIn(x.amountMinor, e.currency),
        receipt: x.receiptFilename,
      })),
      invoices: invoices
        .filter((i) => mine.has(i.journalEntryId))
        .map((i) => ({
          id: i.id,
          number: i.number ?? 'draft',
          status: i.status,
          amountDue: moneyIn(i.amountDueMinor, i.currency),
          description: i.description,
        })),
    }
  })
}
