import { listInvoices, type InvoiceTotals } from '../billing/list-invoices.ts'
import { daysUntil, urgencyOf, type Urgency } from '../kernel/calendar/urgency.ts'
import { contractNumber } from '../contracts/contract-number.ts'
import { type ContractTerms, termsOfVersion } from '../rating/contract-terms.ts'
import { todayUtc } from '../platform/clock.ts'
import { dueReports } from '../royalties/missing-reports.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'

const day = (d: Date | null | undefined) => (d ? d.toISOString().slice(0, 10) : null)

/** A contract's state in one sentence a partner reads at a glance. */
function contractSentence(
  status: string,
  terms: ContractTerms | undefined,
  today: string,
  extra: { awaitingSignature: boolean; terminatedOn: string | null },
): string {
  const start = terms?.term.start
  const end = terms?.term.end
  switch (status) {
    case 'signed':
    case 'active':
      return start && start > today ? `Signed: active from ${start}` : `Signed: active since ${start}, until ${end}`
    case 'sent':
      return extra.awaitingSignature ? 'Sent for signature' : 'Signing'
    case 'expired':
      return `Expired on ${end}`
    case 'terminated':
      return `Terminated${extra.terminatedOn ? ` on ${extra.terminatedOn}` : ''}`
    default:
      return 'Being drafted with ggml'
  }
}

/**
 * What a partner needs first, each part only where the viewer's role may see it: what is due and
 * overdue, the open invoices, the next report due, each contract's status, certification.
 */
export async function partnerHome(scope: TenantScope) {
  assertCan(scope, 'portal.view')
  const can = (p: Parameters<TenantScope['granted']['has']>[0]) => scope.granted.has(p)
  const today = todayUtc()

  // The four parts are independent reads: asked together, the page waits for the slowest, not the sum.
  const [billing, reports, contracts, certification] = await Promise.all([
    can('invoices.view') ? billingPart(scope) : null,
    can('royalties.view') ? reportsPart(scope, today) : null,
    can('contracts.view') ? contractsPart(scope, today) : null,
    can('certification.view') ? certificationPart(scope) : null,
  ])
  return { today, billing, reports, contracts, certification, urgent: urgentDeadlines(today, billing, reports) }
}

async function billingPart(scope: TenantScope) {
  const list = await listInvoices(scope, { status: 'outstanding', sort: 'due', order: 'asc' })
  return { totals: list.totals, open: list.invoices.slice(0, 5) }
}

/** Everything late, and what falls due in the next 120 days (a quarter and its 30 days' grace). */
async function reportsPart(scope: TenantScope, today: string) {
  const due = await dueReports(scope.db, today, 120)
  return due.map((r) => ({
    period: r.period,
    contract: r.contract,
    contractId: r.contractId,
    due: r.due,
    daysLate: Math.max(0, r.daysLate),
  }))
}

async function contractsPart(scope: TenantScope, today: string) {
  const rows = await scope.db.contract.findMany({
    include: { versions: { orderBy: { version: 'desc' } } },
    orderBy: { createdAt: 'desc' },
  })
  return rows.map((c) => {
    const signed = c.versions.find((v) => v.state === 'signed')
    const terms = termsOfVersion(signed ?? c.versions[0])
    return {
      id: c.id,
      number: contractNumber(c.seq, c.createdAt),
      title: c.title,
      status: c.status,
      sentence: contractSentence(c.status, terms, today, {
        awaitingSignature: c.versions.some((v) => v.state === 'sent'),
        terminatedOn: day(c.terminatedAt),
      }),
    }
  })
}

async function certificationPart(scope: TenantScope) {
  const [badges, requests] = await Promise.all([
    scope.db.certBadge.findMany({ orderBy: { issuedAt: 'desc' }, select: { issuedAt: true, revokedAt: true } }),
    scope.db.certRequest.findMany({
      where: { withdrawnAt: null },
      select: { id: true, badges: { select: { id: true } } },
    }),
  ])
  return {
    badges: badges.filter((b) => !b.revokedAt).length,
    revoked: badges.filter((b) => b.revokedAt).length,
    openRequests: requests.filter((r) => r.badges.length === 0).length,
    lastBadge: day(badges.find((b) => !b.revokedAt)?.issuedAt),
  }
}

interface Deadline {
  urgency: Urgency
  /** Days until the earliest due day: negative once overdue. */
  daysLeft: number
  count: number
}

/**
 * The invoices and reports that need the partner now, by the one urgency rule (issue 29): the earliest
 * due day among open invoices and among reports decides how loudly the home page says so.
 */
function urgentDeadlines(
  today: string,
  billing: { open: { dueDate: string | null }[]; totals: InvoiceTotals[] } | null,
  reports: { due: string }[] | null,
): { invoices: (Deadline & { overdue: string[] }) | null; reports: Deadline | null } {
  const earliest = (days: string[]) => days.reduce<string | null>((m, d) => (m === null || d < m ? d : m), null)
  const deadline = (due: string | null, count: number): Deadline | null => {
    if (!due) return null
    const daysLeft = daysUntil(today, due)
    return { urgency: urgencyOf(daysLeft), daysLeft, count }
  }
  const invoiceDue = earliest((billing?.open ?? []).flatMap((i) => (i.dueDate ? [i.dueDate] : [])))
  const invoices = deadline(
    invoiceDue,
    (billing?.open ?? []).filter((i) => i.dueDate && urgencyOf(daysUntil(today, i.dueDate)) !== 'calm').length,
  )
  const reportDue = earliest((reports ?? []).map((r) => r.due))
  return {
    invoices: invoices && {
      ...invoices,
      overdue: (billing?.totals ?? []).filter((t) => t.overdueCount > 0).map((t) => t.overdue),
    },
    reports: deadline(reportDue, (reports ?? []).filter((r) => urgencyOf(daysUntil(today, r.due)) !== 'calm').length),
  }
}
