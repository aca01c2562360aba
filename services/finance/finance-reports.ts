import { toCsv } from '../platform/csv/csv.ts'
import type { Actor } from '../identity/actor.ts'
import { allPartnersScope } from '../tenancy/tenant-guard.ts'
import { todayUtc } from '../platform/clock.ts'
import { amountOf, termsOfVersion } from '../rating/contract-terms.ts'
import { periodOf } from '../royalties/reporting-period.ts'
import { addDays } from '#services/kernel/calendar/months.ts'
import { dueReports } from '../royalties/missing-reports.ts'
import { trainingRefundsTable } from './training-refunds.ts'
import { RECEIVABLES } from '../ledger/receivables.ts'
import { accountLabel } from '../ledger/account-labels.ts'
import { isCurrency } from '../kernel/money/currency.ts'
import { moneyDecimal, money } from '../kernel/money/money.ts'
import { naturalCompare, orderPartnerBalances } from './order-partner-balances.ts'
import { AGING_BUCKETS, agingBucketOf } from './aging-buckets.ts'
import { guaranteeShortfallForecasts } from './guarantee-shortfall-forecast.ts'

/** One table of a finance report: plain rows of strings and exact minor-unit numbers, ready for CSV. */
export interface Table {
  columns: string[]
  rows: (string | bigint | number)[][]
  /** Per row, the page its first cell opens (not exported). */
  links?: (string | null)[]
}

const day = (d: Date) => d.toISOString().slice(0, 10)
const monthsOf = (r: { periodStart: Date; periodEnd: Date }) =>
  (r.periodEnd.getUTCFullYear() - r.periodStart.getUTCFullYear()) * 12 +
  r.periodEnd.getUTCMonth() -
  r.periodStart.getUTCMonth()

/** Charged royalties (current revisions only) by partner, period, price band's device class and region. */
export async function royaltiesByPartnerAndPeriod(actor: Actor): Promise<Table> {
  const { db } = allPartnersScope(actor, 'finance.view')
  const reports = await db.royaltyReport.findMany({ where: { status: 'current' }, orderBy: [{ periodStart: 'asc' }] })
  const orgs = new Map(
    (await db.organization.findMany({ where: { id: { in: [...new Set(reports.map((r) => r.organizationId))] } } })).map(
      (o) => [o.id, o.name],
    ),
  )
  const charges = await db.royaltyCharge.groupBy({
    by: ['journalEntryId', 'kind'],
    where: { journalEntryId: { in: reports.flatMap((r) => (r.journalEntryId ? [r.journalEntryId] : [])) } },
    _sum: { amountMinor: true },
  })
  const sum = (entry: string | null, kinds: string[]) =>
    charges
      .filter((c) => c.journalEntryId === entry && kinds.includes(c.kind))
      .reduce((s, c) => s + (c._sum.amountMinor ?? 0n), 0n)
  return {
    columns: [
      'partner',
      'period',
      'currency',
      'units',
      'royalties_minor',
      'base_fees_minor',
      'guarantee_shortfall_minor',
      'pilot_fees_minor',
      'recouped_minor',
      'invoiced_minor',
    ],
    rows: reports.map((r) => [
      orgs.get(r.organizationId) ?? r.organizationId,
      periodOf(day(r.periodStart), monthsOf(r)).tag,
      r.currency,
      r.unitsTotal,
      sum(r.journalEntryId, ['royalty', 'volume_true_up', 'revenue_share', 'cap_reduction']),
      sum(r.journalEntryId, ['base_fee']),
      sum(r.journalEntryId, ['minimum_guarantee_shortfall']),
      sum(r.journalEntryId, ['pilot_fee']),
      -sum(r.journalEntryId, ['advance_recoupment']),
      sum(r.journalEntryId, [
        'royalty',
        'volume_true_up',
        'revenue_share',
        'cap_reduction',
        'advance_recoupment',
        'base_fee',
        'minimum_guarantee_shortfall',
        'pilot_fee',
      ]),
    ]),
  }
}

/** Units by device class and region, from the current reports' lines. */
export async function unitsByClassAndRegion(actor: Actor): Promise<Table> {
  const { db } = allPartnersScope(actor, 'finance.view')
  const rows = await db.$queryRaw<{ partner: string; device_class: string; region: string; units: bigint }[]>`
    SELECT o."name" AS partner, l."deviceClass" AS device_class, l."region" AS region, SUM(l."units")::bigint AS units
    FROM "RoyaltyReportLine" l JOIN "RoyaltyReport" r ON r."uploadId" = l."uploadId" AND r."status" = 'current'
      JOIN "Organization" o ON o."id" = r."organizationId"
    GROUP BY o."name", l."deviceClass", l."region" ORDER BY o."name", l."deviceClass", l."region"`
  return {
    columns: ['partner', 'device_class', 'region', 'units'],
    rows: rows.map((r) => [r.partner, r.device_class, r.region, BigInt(r.units)]),
  }
}

/**
 * Per live contract with a guarantee, its current contract year: what it guarantees, what was earned,
 * the straight-line forecast and the shortfall it points to (guarantee-forecast.ts). The headline's
 * shortfall forecast is this table's last column summed per currency.
 */
export async function guaranteeCoverage(actor: Actor, today = todayUtc()): Promise<Table> {
  const forecasts = await guaranteeShortfallForecasts(actor, today)
  return {
    columns: [
      'partner',
      'contract',
      'currency',
      'contract_year',
      'guaranteed_minor',
      'earned_minor',
      'months_reported',
      'forecast_royalties_minor',
      'forecast_shortfall_minor',
    ],
    rows: forecasts
      .sort((a, b) =>
        a.shortfallMinor === b.shortfallMinor
          ? naturalCompare(a.partner, b.partner)
          : a.shortfallMinor > b.shortfallMinor
            ? -1
            : 1,
      )
      .map((f) => [
        f.partner,
        f.contract,
        f.currency,
        `${f.year.start} to ${addDays(f.year.end, -1)}`,
        f.guaranteedMinor,
        f.earnedMinor,
        f.monthsReported,
        f.forecastMinor,
        f.shortfallMinor,
      ]),
  }
}

/** Open invoices by how overdue they are, per partner and currency, with the total each owes. */
export async function receivablesAging(actor: Actor, today = todayUtc()): Promise<Table> {
  const { db } = allPartnersScope(actor, 'finance.view')
  const invoices = await db.invoice.findMany({ where: { status: 'open' } })
  const orgs = new Map(
    (
      await db.organization.findMany({ where: { id: { in: [...new Set(invoices.map((i) => i.organizationId))] } } })
    ).map((o) => [o.id, o]),
  )
  const byPartner = new Map<string, bigint[]>()
  for (const i of invoices) {
    const b = AGING_BUCKETS.indexOf(agingBucketOf(i.dueDate ? day(i.dueDate) : null, today))
    const org = orgs.get(i.organizationId)
    const key = `${org?.name ?? i.organizationId}\u0000${i.currency}\u0000${org?.slug ?? ''}`
    const row = byPartner.get(key) ?? AGING_BUCKETS.map(() => 0n)
    // What Stripe says is still to pay: credit notes and the partner's balance lower it, not only cash.
    row[b]! += i.amountRemainingMinor
    byPartner.set(key, row)
  }
  // Who owes the most first (issue 29), then by name as people read it; each opens the partner's open invoices.
  const sorted = [...byPartner]
    .map(([k, v]) => ({ key: k.split('\u0000'), v, total: v.reduce((s, x) => s + x, 0n) }))
    .sort((a, b) => (a.total === b.total ? naturalCompare(a.key[0]!, b.key[0]!) : a.total > b.total ? -1 : 1))
  return {
    columns: ['partner', 'currency', ...AGING_BUCKETS.map((b) => `${b}_minor`), 'total_minor'],
    rows: sorted.map(({ key: [partner, currency], v, total }) => [partner!, currency!, ...v, total]),
    links: sorted.map(({ key: [, , slug] }) => (slug ? `/portal/${slug}/invoices?status=outstanding` : null)),
  }
}

/** Revenue recognised per business line: what the ledger's revenue accounts hold, nothing forecast. */
export async function revenueByBusinessLine(actor: Actor): Promise<Table> {
  const { db } = allPartnersScope(actor, 'finance.view')
  const rows = await db.$queryRaw<{ type: string; currency: string; amount: bigint }[]>`
    SELECT a."type"::text AS type, a."currency", SUM(l."creditMinor" - l."debitMinor")::bigint AS amount
    FROM "JournalLine" l JOIN "LedgerAccount" a ON a."id" = l."accountId"
    WHERE a."type" IN ('royalty_revenue', 'base_fee_revenue', 'minimum_guarantee_revenue', 'pilot_fee_revenue',
                       'services_revenue', 'training_revenue')
    GROUP BY a."type", a."currency" ORDER BY a."currency", a."type"`
  const label: Record<string, string> = {
    royalty_revenue: 'OEM royalties',
    base_fee_revenue: 'OEM base license fees',
    minimum_guarantee_revenue: 'OEM minimum-guarantee shortfalls',
    pilot_fee_revenue: 'Paid pilots',
    services_revenue: 'Professional services',
    training_revenue: 'Training (corporate seat packs)',
  }
  return {
    columns: ['business_line', 'currency', 'recognised_minor'],
    rows: rows.map((r) => [label[r.type] ?? r.type, r.currency, BigInt(r.amount)]),
  }
}

/**
 * Contracted OEM ARR: a year of base fees and minimum guarantees of the active contracts. A forecast
 * of what the contracts commit to, never revenue: it stays out of the recognised column (issue 29).
 */
export async function contractedArr(actor: Actor): Promise<Table> {
  const { db } = allPartnersScope(actor, 'finance.view')
  const contracts = await db.contract.findMany({
    where: { status: 'active' },
    include: { versions: { where: { state: 'signed' }, orderBy: { version: 'desc' }, take: 1 } },
  })
  const arr = new Map<string, { base: bigint; mg: bigint; contracts: number }>()
  for (const c of contracts) {
    const t = termsOfVersion(c.versions[0])
    if (!t) continue
    const base = t.baseFee
      ? amountOf(t, t.baseFee.amount) * ({ month: 12n, quarter: 4n, year: 1n } as const)[t.baseFee.period]
      : 0n
    const mg = t.minimumGuarantee
      ? amountOf(t, t.minimumGuarantee.amount) * (t.minimumGuarantee.period === 'quarter' ? 4n : 1n)
      : 0n
    const a = arr.get(t.currency) ?? { base: 0n, mg: 0n, contracts: 0 }
    arr.set(t.currency, { base: a.base + base, mg: a.mg + mg, contracts: a.contracts + (base || mg ? 1 : 0) })
  }
  return {
    columns: ['currency', 'contracts', 'base_fees_minor', 'guarantees_minor', 'contracted_arr_minor'],
    rows: [...arr]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([cur, a]) => [cur, a.contracts, a.base, a.mg, a.base + a.mg]),
  }
}

/**
 * Services work in progress: approved work no invoice has billed yet, per engagement. Time counts on
 * time-and-materials and retainer engagements (a fixed price bills its milestones), with approved
 * expenses and accepted milestones; the monthly invoice run turns these into invoices.
 */
export async function servicesWorkInProgress(actor: Actor): Promise<Table> {
  const { db } = allPartnersScope(actor, 'finance.view')
  const rows = await db.$queryRaw<
    { customer: string; engagement: string; currency: string; time: bigint; expenses: bigint; milestones: bigint }[]
  >`
    SELECT o."name" AS customer, e."title" AS engagement, e."currency",
      (SELECT COALESCE(SUM(t."amountMinor"), 0) FROM "TimeEntry" t JOIN "Timesheet" s ON s."id" = t."timesheetId"
        WHERE t."engagementId" = e."id" AND e."type" <> 'fixed_price' AND t."invoiceEntryId" IS NULL
          AND s."status" IN ('approved', 'locked'))::bigint AS time,
      (SELECT COALESCE(SUM(x."amountMinor"), 0) FROM "EngagementExpense" x
        WHERE x."engagementId" = e."id" AND x."status" = 'approved' AND x."invoiceEntryId" IS NULL)::bigint AS expenses,
      (SELECT COALESCE(SUM(m."amountMinor"), 0) FROM "EngagementMilestone" m
        WHERE m."engagementId" = e."id" AND m."status" = 'accepted' AND m."invoiceEntryId" IS NULL)::bigint
        AS milestones
    FROM "Engagement" e JOIN "Organization" o ON o."id" = e."organizationId"
    ORDER BY o."name", e."title"`
  return {
    columns: ['customer', 'engagement', 'currency', 'time_minor', 'expenses_minor', 'milestones_minor', 'total_minor'],
    rows: rows
      .filter((r) => r.time + r.expenses + r.milestones > 0n)
      .map((r) => [
        r.customer,
        r.engagement,
        r.currency,
        r.time,
        r.expenses,
        r.milestones,
        r.time + r.expenses + r.milestones,
      ]),
  }
}

/** Options a report may honour: balances at the end of a day (ISO date), all history when absent. */
export interface ReportOptions {
  asOf?: string
  /** Partner balances: every row, zero balances included (by default only those with a balance). */
  all?: boolean
}

/** Every account type's debits, credits and balance, across partners, at the end of asOf. */
export async function trialBalanceTable(actor: Actor, { asOf }: ReportOptions = {}): Promise<Table> {
  const { db } = allPartnersScope(actor, 'finance.view')
  const rows = await db.$queryRaw<{ type: string; currency: string; debits: bigint; credits: bigint }[]>`
    SELECT a."type"::text AS type, a."currency", COALESCE(SUM(l."debitMinor"), 0)::bigint AS debits,
      COALESCE(SUM(l."creditMinor"), 0)::bigint AS credits
    FROM "LedgerAccount" a
    LEFT JOIN ("JournalLine" l
      JOIN "JournalEntry" e ON e."id" = l."entryId"
      AND (${asOf ?? null}::date IS NULL OR e."effectiveDate" <= ${asOf ?? null}::date)) ON l."accountId" = a."id"
    GROUP BY a."type", a."currency" ORDER BY a."currency", a."type"`
  return {
    columns: ['account', 'account_code', 'currency', 'debits_minor', 'credits_minor', 'balance_minor'],
    rows: rows.map((r) => [
      accountLabel(r.type),
      r.type,
      r.currency,
      BigInt(r.debits),
      BigInt(r.credits),
      BigInt(r.debits) - BigInt(r.credits),
    ]),
  }
}

/**
 * Each partner's books at the end of asOf: what it owes (receivable), has prepaid or been credited
 * (deferred revenue, partner credit), and what was recognised from it. Postings count by their
 * effective date, so a restatement entered later changes the past balance it belongs to.
 */
export async function partnerBalancesTable(actor: Actor, { asOf, all }: ReportOptions = {}): Promise<Table> {
  const { db } = allPartnersScope(actor, 'finance.view')
  const rows = await db.$queryRaw<{ partner: string; kind: string; currency: string; type: string; balance: bigint }[]>`
    SELECT o."name" AS partner, o."kind"::text AS kind, a."currency", a."type"::text AS type,
      COALESCE(SUM(l."debitMinor" - l."creditMinor"), 0)::bigint AS balance
    FROM "LedgerAccount" a
    JOIN "Organization" o ON o."id" = a."organizationId"
    LEFT JOIN ("JournalLine" l
      JOIN "JournalEntry" e ON e."id" = l."entryId"
      AND (${asOf ?? null}::date IS NULL OR e."effectiveDate" <= ${asOf ?? null}::date)) ON l."accountId" = a."id"
    GROUP BY o."name", o."kind", a."currency", a."type" ORDER BY o."name", a."currency"`
  const byPartner = new Map<string, { partner: string; kind: string; currency: string; b: Record<string, bigint> }>()
  for (const r of rows) {
    const key = `${r.partner}\u0000${r.currency}`
    const p = byPartner.get(key) ?? { partner: r.partner, kind: r.kind, currency: r.currency, b: {} }
    p.b[r.type] = BigInt(r.balance)
    byPartner.set(key, p)
  }
  const revenue = [
    'royalty_revenue',
    'base_fee_revenue',
    'pilot_fee_revenue',
    'minimum_guarantee_revenue',
    'services_revenue',
    'training_revenue',
  ]
  return {
    columns: [
      'partner',
      'currency',
      'receivable_minor',
      'deferred_revenue_minor',
      'partner_credit_minor',
      'recognised_revenue_minor',
      'cash_received_minor',
    ],
    rows: orderPartnerBalances(
      [...byPartner.values()].map(({ partner, kind, currency, b }) => {
        const owed = RECEIVABLES.reduce((t, k) => t + (b[k] ?? 0n), 0n)
        const deferred = -(b.deferred_revenue ?? 0n)
        const credit = -(b.partner_credit ?? 0n)
        return { partner, kind, currency, owed, balances: [owed, deferred, credit], b }
      }),
      { all },
    ).map(({ partner, currency, owed, balances: [, deferred, credit], b }) => [
      partner,
      currency,
      owed,
      deferred!,
      credit!,
      -revenue.reduce((t, k) => t + (b[k] ?? 0n), 0n),
      b.cash ?? 0n,
    ]),
  }
}

/** Quarters whose report is past due. */
export async function missingReportsTable(actor: Actor): Promise<Table> {
  const { db } = allPartnersScope(actor, 'finance.view')
  const rows = await dueReports(db)
  return {
    columns: ['partner', 'contract', 'period', 'due', 'days_late'],
    rows: rows.map((r) => [r.partner, r.contract, r.period, r.due, r.daysLate]),
  }
}

/** Money received, newest first: Stripe payments and recorded transfers. */
export async function paymentsTable(actor: Actor): Promise<Table> {
  const { db } = allPartnersScope(actor, 'finance.view')
  const entries = await db.journalEntry.findMany({
    where: { kind: 'payment' },
    orderBy: { seq: 'desc' },
    take: 200,
    include: { lines: { include: { account: true } } },
  })
  const orgs = new Map(
    (await db.organization.findMany({ where: { id: { in: [...new Set(entries.map((e) => e.organizationId))] } } })).map(
      (o) => [o.id, o.name],
    ),
  )
  return {
    columns: ['partner', 'received', 'description', 'currency', 'amount_minor'],
    rows: entries.map((e) => [
      orgs.get(e.organizationId) ?? '',
      day(e.effectiveDate),
      e.description,
      e.currency,
      e.lines.filter((l) => l.account.type === 'cash').reduce((s, l) => s + l.debitMinor, 0n),
    ]),
  }
}

export const financeTables = {
  payments: paymentsTable,
  missing: missingReportsTable,
  royalties: royaltiesByPartnerAndPeriod,
  units: unitsByClassAndRegion,
  guarantees: (actor: Actor) => guaranteeCoverage(actor),
  aging: (actor: Actor) => receivablesAging(actor),
  revenue: revenueByBusinessLine,
  contracted: contractedArr,
  wip: servicesWorkInProgress,
  'trial-balance': trialBalanceTable,
  balances: partnerBalancesTable,
  'training-refunds': trainingRefundsTable,
} as const satisfies Record<string, (actor: Actor, options?: ReportOptions) => Promise<Table>>

export type FinanceTableName = keyof typeof financeTables

/**
 * A table as CSV in decimal amounts (issue 29): each money column (…_minor inside) is written in its
 * row's currency with that currency's decimals (451200.00, never 45120000) and headed …_decimal, so the
 * header says which unit it holds; the currency column names the currency.
 */
export function tableCsv(t: Table): string {
  const cur = t.columns.indexOf('currency')
  const isMoney = t.columns.map((c) => c.endsWith('_minor'))
  if (isMoney.some(Boolean) && cur < 0) throw new Error('A table with money columns needs a currency column.')
  const header = t.columns.map((c, i) => (isMoney[i] ? c.replace(/_minor$/, '_decimal') : c))
  const rows = t.rows.map((r) =>
    r.map((v, i) => {
      if (!isMoney[i]) return v
      const currency = String(r[cur])
      if (!isCurrency(currency)) throw new Error(`Unknown currency ${currency}.`)
      return moneyDecimal(money(BigInt(v), currency))
    }),
  )
  return toCsv([header, ...rows])
}
