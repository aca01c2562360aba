import { addDays, addMonths, monthStartOf, quarterStartOf } from '../kernel/calendar/months.ts'
import { Prisma } from '../platform/db/generated/client.ts'
import { RECEIVABLES } from '../ledger/receivables.ts'
import type { Actor } from '../identity/actor.ts'
import { toCurrency } from '../kernel/money/currency.ts'
import { formatMoney, money } from '../kernel/money/money.ts'
import { todayUtc } from '../platform/clock.ts'
import { allPartnersScope } from '../tenancy/tenant-guard.ts'
import { AGING_BUCKETS, agingBucketLabel, agingBucketOf, type AgingBucket } from './aging-buckets.ts'
import { DSO_WINDOW_DAYS, daysSalesOutstanding } from './days-sales-outstanding.ts'
import { guaranteeShortfallForecasts } from './guarantee-shortfall-forecast.ts'

/** One headline figure, per currency (never summed across currencies), with how it was computed. */
export interface Headline {
  key: 'outstanding' | 'overdue' | 'collected' | 'recognised' | 'dso' | 'guarantee-shortfall'
  label: string
  /** Each currency's figure, largest first; empty when nothing counts. `minor` for money, `days` for DSO. */
  amounts: { currency: string; text: string; minor?: string; days?: number | null }[]
  computed: string
  /** Where the figure's rows are listed. */
  href?: string
}

/** One currency's open invoices split by how late they are: the bar above the tabs. */
export interface AgingBar {
  currency: string
  totalMinor: string
  totalText: string
  segments: {
    bucket: AgingBucket
    label: string
    minor: string
    text: string
    invoices: number
    /** Share of the currency's total, in hundredths of a percent (for the segment's width). */
    shareBps: number
    /** The open invoices of this bucket and currency. */
    href: string
  }[]
}

export interface FinanceHeadlines {
  figures: Headline[]
  aging: AgingBar[]
}

const at = (date: string) => new Date(`${date}T00:00:00Z`)

const byAmount = <V>(sums: Map<string, V>, value: (v: V) => bigint) =>
  [...sums].sort(([a, x], [b, y]) => (value(x) === value(y) ? a.localeCompare(b) : value(x) > value(y) ? -1 : 1))

const perCurrency = (sums: Map<string, bigint>) =>
  byAmount(sums, (v) => v)
    .filter(([, v]) => v !== 0n)
    .map(([currency, v]) => ({ currency, minor: v.toString(), text: fmt(v, currency) }))

const fmt = (minor: bigint, currency: string) => formatMoney(money(minor, toCurrency(currency)))
const add = (m: Map<string, bigint>, k: string, v: bigint) => m.set(k, (m.get(k) ?? 0n) + v)
const sums = (rows: { currency: string; amount: bigint }[]) =>
  new Map(rows.map((r) => [r.currency, BigInt(r.amount)] as const))

/** The link a bar segment opens: the open invoices of one bucket and currency, on the receivables tab. */
export const agingHref = (bucket: AgingBucket, currency: string) =>
  `/finance?tab=receivables&aging=${encodeURIComponent(bucket)}&currency=${encodeURIComponent(currency)}#open-invoices`

/**
 * The top of finance's workspace (issue 29), each figure per currency with the arithmetic behind it:
 * what partners owe (the ledger's receivables), how much of it is past due on open invoices, the cash
 * received this month, revenue recognised this quarter, days sales outstanding, and the
 * minimum-guarantee shortfall the contracts are heading for this contract year; then the open
 * invoices by how late they are.
 */
export async function financeHeadlines(actor: Actor, today = todayUtc()): Promise<FinanceHeadlines> {
  const { db } = allPartnersScope(actor, 'finance.view')
  const month = monthStartOf(today)
  const quarter = quarterStartOf(today)
  // The DSO window: the 90 days ending today, today included.
  const windowStart = addDays(today, 1 - DSO_WINDOW_DAYS)
  const receivables = Prisma.join([...RECEIVABLES])
  const [invoices, receivable, billed, cash, revenue, guarantees] = await Promise.all([
    db.invoice.findMany({
      where: { status: 'open' },
      select: { currency: true, dueDate: true, amountRemainingMinor: true },
    }),
    db.$queryRaw<{ currency: string; amount: bigint }[]>`
      SELECT a."currency", COALESCE(SUM(l."debitMinor" - l."creditMinor"), 0)::bigint AS amount
      FROM "JournalLine" l JOIN "LedgerAccount" a ON a."id" = l."accountId"
      WHERE a."type"::text IN (${receivables})
      GROUP BY a."currency"`,
    // Billed: what postings other than payments added to receivables (charges less reversals and credits).
    db.$queryRaw<{ currency: string; amount: bigint }[]>`
      SELECT a."currency", COALESCE(SUM(l."debitMinor" - l."creditMinor"), 0)::bigint AS amount
      FROM "JournalLine" l JOIN "LedgerAccount" a ON a."id" = l."accountId"
        JOIN "JournalEntry" e ON e."id" = l."entryId"
      WHERE a."type"::text IN (${receivables}) AND e."kind" <> 'payment'
        AND e."effectiveDate" >= ${at(windowStart)} AND e."effectiveDate" <= ${at(today)}
      GROUP BY a."currency"`,
    db.$queryRaw<{ currency: string; amount: bigint }[]>`
      SELECT a."currency", COALESCE(SUM(l."debitMinor" - l."creditMinor"), 0)::bigint AS amount
      FROM "JournalLine" l JOIN "LedgerAccount" a ON a."id" = l."accountId"
        JOIN "JournalEntry" e ON e."id" = l."entryId"
      WHERE a."type" = 'cash' AND e."kind" = 'payment'
        AND e."effectiveDate" >= ${at(month)} AND e."effectiveDate" < ${at(addMonths(month, 1))}
      GROUP BY a."currency"`,
    db.$queryRaw<{ currency: string; amount: bigint }[]>`
      SELECT a."currency", COALESCE(SUM(l."creditMinor" - l."debitMinor"), 0)::bigint AS amount
      FROM "JournalLine" l JOIN "LedgerAccount" a ON a."id" = l."accountId"
        JOIN "JournalEntry" e ON e."id" = l."entryId"
      WHERE a."type" IN ('royalty_revenue', 'base_fee_revenue', 'minimum_guarantee_revenue', 'pilot_fee_revenue',
                         'services_revenue', 'training_revenue')
        AND e."effectiveDate" >= ${at(quarter)} AND e."effectiveDate" < ${at(addMonths(quarter, 3))}
      GROUP BY a."currency"`,
    guaranteeShortfallForecasts(actor, today),
  ])
  const overdue = new Map<string, bigint>()
  const buckets = new Map<string, Map<AgingBucket, { minor: bigint; invoices: number }>>()
  for (const i of invoices) {
    const due = i.dueDate ? i.dueDate.toISOString().slice(0, 10) : null
    const bucket = agingBucketOf(due, today)
    if (bucket !== 'current') add(overdue, i.currency, i.amountRemainingMinor)
    const perBucket = buckets.get(i.currency) ?? new Map()
    const b = perBucket.get(bucket) ?? { minor: 0n, invoices: 0 }
    perBucket.set(bucket, { minor: b.minor + i.amountRemainingMinor, invoices: b.invoices + 1 })
    buckets.set(i.currency, perBucket)
  }
  const owed = sums(receivable)
  const billedIn = sums(billed)
  // DSO for every currency anything is owed or was billed in.
  const dso = byAmount(owed, (v) => v).filter(([cur, v]) => v !== 0n || (billedIn.get(cur) ?? 0n) !== 0n)
  const shortfall = new Map<string, bigint>()
  for (const g of guarantees) add(shortfall, g.currency, g.shortfallMinor)
  return {
    figures: [
      {
        key: 'outstanding',
        label: 'Receivables outstanding',
        amounts: perCurrency(owed),
        computed:
          'The balance of the receivable accounts (royalties, services, training) across partners, per currency: ' +
          'everything posted to partners less what they paid, invoiced or not yet. Equals the receivable column ' +
          'of the partner balances and the trial balance.',
      },
      {
        key: 'overdue',
        label: 'Overdue',
        amounts: perCurrency(overdue),
        computed:
          `What is left to pay on open invoices whose due date is before today (${today}), per currency; the ` +
          'aging bar and the receivables aging split it by how late it is.',
      },
      {
        key: 'collected',
        label: 'Cash received this month',
        amounts: perCurrency(sums(cash)),
        computed:
          `Cash debited by payments (Stripe and recorded transfers) dated from ${month} to today, per currency, ` +
          'as the payments table lists them.',
      },
      {
        key: 'dso',
        label: 'Days sales outstanding',
        amounts: dso.map(([currency, v]) => {
          const days = daysSalesOutstanding(v, billedIn.get(currency) ?? 0n)
          return { currency, days, text: days === null ? 'n/a' : `${days.toLocaleString('en-US')} days` }
        }),
        computed:
          `Receivables outstanding × ${DSO_WINDOW_DAYS} ÷ what was billed in the ${DSO_WINDOW_DAYS} days from ` +
          `${windowStart} to ${today} (postings other than payments to the receivable accounts: charges less ` +
          'reversals and credit notes), per currency, rounded to whole days: how many days of recent billing ' +
          'partners owe. ' +
          (dso.map(([cur, v]) => dsoSum(cur, v, billedIn.get(cur) ?? 0n)).join(' ') || 'Nothing is owed.'),
      },
      {
        key: 'guarantee-shortfall',
        label: 'Guarantee shortfall forecast (contract year)',
        amounts: perCurrency(shortfall),
        href: '/finance?tab=revenue#fin-guarantees',
        computed:
          `For each of the ${guarantees.length} live contract(s) with a minimum guarantee, its current contract ` +
          'year: the guarantee of each guarantee period (prorated to the days in force) less the royalties ' +
          "earned in it and a straight line for its months not yet reported, at the year's monthly rate so far " +
          '(royalties earned ÷ months reported; with nothing reported, the whole guarantee counts); summed per ' +
          'currency. Excess carried forward is not counted. The Revenue tab lists each contract.',
      },
      {
        key: 'recognised',
        label: 'Revenue recognised this quarter',
        amounts: perCurrency(sums(revenue)),
        computed:
          `Credits less debits on the revenue accounts (royalties, base fees, guarantee shortfalls, pilots, ` +
          `services, training) for postings dated from ${quarter} on. Contracted ARR is not revenue and is not ` +
          'counted.',
      },
    ],
    aging: byAmount(buckets, (m) => [...m.values()].reduce((s, b) => s + b.minor, 0n)).map(([currency, m]) => {
      const total = [...m.values()].reduce((s, b) => s + b.minor, 0n)
      return {
        currency,
        totalMinor: total.toString(),
        totalText: fmt(total, currency),
        segments: AGING_BUCKETS.flatMap((bucket) => {
          const b = m.get(bucket)
          if (!b) return []
          return [
            {
              bucket,
              label: agingBucketLabel[bucket],
              minor: b.minor.toString(),
              text: fmt(b.minor, currency),
              invoices: b.invoices,
              shareBps: total > 0n ? Number((b.minor * 10_000n) / total) : 0,
              href: agingHref(bucket, currency),
            },
          ]
        }),
      }
    }),
  }
}

/** One currency's DSO with its operands, so the number can be checked by hand. */
function dsoSum(currency: string, owed: bigint, billed: bigint): string {
  const days = daysSalesOutstanding(owed, billed)
  return days === null
    ? `${currency}: nothing billed in the window, so no DSO.`
    : `${currency}: ${fmt(owed, currency)} × ${DSO_WINDOW_DAYS} ÷ ${fmt(billed, currency)} = ${days} days.`
}
