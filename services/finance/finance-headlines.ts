import { addMonths, monthStartOf, quarterStartOf } from '../calendar/months.ts'
import { Prisma } from '../db/generated/client.ts'
import { RECEIVABLES } from '../ledger/receivables.ts'
import type { Actor } from '../identity/actor.ts'
import { toCurrency } from '../money/currency.ts'
import { formatMoney, money } from '../money/money.ts'
import { todayUtc } from '../platform/clock.ts'
import { allPartnersScope } from '../tenancy/tenant-guard.ts'

/** One headline figure, per currency (never summed across currencies), with how it was computed. */
export interface Headline {
  key: 'outstanding' | 'overdue' | 'collected' | 'recognised'
  label: string
  /** Each currency's amount, largest first; empty when nothing counts. */
  amounts: { currency: string; minor: string; text: string }[]
  computed: string
}

const at = (date: string) => new Date(`${date}T00:00:00Z`)

const perCurrency = (sums: Map<string, bigint>) =>
  [...sums]
    .filter(([, v]) => v !== 0n)
    .sort(([a, x], [b, y]) => (x === y ? a.localeCompare(b) : x > y ? -1 : 1))
    .map(([currency, v]) => ({ currency, minor: v.toString(), text: formatMoney(money(v, toCurrency(currency))) }))

const add = (m: Map<string, bigint>, k: string, v: bigint) => m.set(k, (m.get(k) ?? 0n) + v)

/**
 * The four figures at the top of finance's workspace (issue 29): what partners owe (the ledger's
 * receivables), how much of it is past due on open invoices, the cash received this month, and the
 * revenue recognised this quarter.
 */
export async function financeHeadlines(actor: Actor, today = todayUtc()): Promise<Headline[]> {
  const { db } = allPartnersScope(actor, 'finance.view')
  const month = monthStartOf(today)
  const quarter = quarterStartOf(today)
  const [invoices, receivable, cash, revenue] = await Promise.all([
    db.invoice.findMany({
      where: { status: 'open' },
      select: { currency: true, dueDate: true, amountRemainingMinor: true },
    }),
    db.$queryRaw<{ currency: string; amount: bigint }[]>`
      SELECT a."currency", COALESCE(SUM(l."debitMinor" - l."creditMinor"), 0)::bigint AS amount
      FROM "JournalLine" l JOIN "LedgerAccount" a ON a."id" = l."accountId"
      WHERE a."type"::text IN (${Prisma.join([...RECEIVABLES])})
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
  ])
  const overdue = new Map<string, bigint>()
  for (const i of invoices)
    if (i.dueDate && i.dueDate.toISOString().slice(0, 10) < today) add(overdue, i.currency, i.amountRemainingMinor)
  const sums = (rows: { currency: string; amount: bigint }[]) =>
    new Map(rows.map((r) => [r.currency, BigInt(r.amount)] as const))
  return [
    {
      key: 'outstanding',
      label: 'Receivables outstanding',
      amounts: perCurrency(sums(receivable)),
      computed:
        'The balance of the receivable accounts (royalties, services, training) across partners, per currency: ' +
        'everything posted to partners less what they paid, invoiced or not yet. Equals the receivable column of ' +
        'the partner balances and the trial balance.',
    },
    {
      key: 'overdue',
      label: 'Overdue',
      amounts: perCurrency(overdue),
      computed:
        `What is left to pay on open invoices whose due date is before today (${today}), per currency; the ` +
        'receivables aging splits it by how late it is.',
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
      key: 'recognised',
      label: 'Revenue recognised this quarter',
      amounts: perCurrency(sums(revenue)),
      computed:
        `Credits less debits on the revenue accounts (royalties, base fees, guarantee shortfalls, pilots, ` +
        `services, training) for postings dated from ${quarter} on. Contracted ARR is not revenue and is not ` +
        'counted.',
    },
  ]
}
