import type { Tx } from '../platform/db/client.ts'
import { isReceivable } from '../ledger/receivables.ts'

type Reader = Pick<Tx, 'journalEntry' | 'royaltyReport'>
interface EntryRef {
  id: string
  seq: bigint
  kind: string
  reportId: string | null
}

/**
 * What earlier postings of overlapping periods (restated revisions, re-ratings, the period-close
 * placeholders it replaced) already billed, so that a report posting bills its receivable less that.
 * Worked out from the ledger alone, so the order in which invoice jobs run does not matter. Each
 * posting bills its receivable − what overlapping earlier postings billed: positive is invoiced,
 * negative is credited (a restatement that lowers a period issues a credit note), so what a period
 * has billed always equals its current receivable; a late quarter subtracts all three monthly
 * placeholders.
 */
export function billedBeforeInPeriod(db: Reader, entry: EntryRef): Promise<bigint> {
  return billedBefore(db, entry, new Map())
}

/** Earlier postings of the period that billed more than nothing, newest first: what a credit corrects. */
export async function invoicedBeforeInPeriod(
  db: Reader,
  entry: EntryRef,
): Promise<{ entryId: string; billedMinor: bigint }[]> {
  const memo = new Map<string, bigint>()
  const out: { entryId: string; billedMinor: bigint }[] = []
  for (const e of await earlierInPeriod(db, entry)) {
    const billed = await billedBy(db, e, memo)
    if (billed > 0n) out.push({ entryId: e.id, billedMinor: billed })
  }
  return out.reverse()
}

async function receivableOf(db: Reader, entryId: string): Promise<bigint> {
  const e = await db.journalEntry.findUniqueOrThrow({
    where: { id: entryId },
    include: { lines: { include: { account: { select: { type: true } } } } },
  })
  return e.lines.filter((l) => isReceivable(l.account.type)).reduce((s, l) => s + l.debitMinor - l.creditMinor, 0n)
}

async function billedBefore(db: Reader, entry: EntryRef, memo: Map<string, bigint>): Promise<bigint> {
  let total = 0n
  for (const e of await earlierInPeriod(db, entry)) total += await billedBy(db, e, memo)
  return total
}

async function earlierInPeriod(db: Reader, entry: EntryRef): Promise<EntryRef[]> {
  if (entry.kind !== 'report_charges' || !entry.reportId) return []
  const report = await db.royaltyReport.findUniqueOrThrow({ where: { id: entry.reportId } })
  // Reports of this contract whose period (end exclusive) overlaps this one.
  const related = await db.royaltyReport.findMany({
    where: {
      contractId: report.contractId,
      periodStart: { lt: report.periodEnd },
      periodEnd: { gt: report.periodStart },
    },
    select: { id: true },
  })
  return db.journalEntry.findMany({
    where: { kind: 'report_charges', reportId: { in: related.map((r) => r.id) }, seq: { lt: entry.seq } },
    orderBy: { seq: 'asc' },
    select: { id: true, seq: true, kind: true, reportId: true },
  })
}

async function billedBy(db: Reader, entry: EntryRef, memo: Map<string, bigint>): Promise<bigint> {
  const known = memo.get(entry.id)
  if (known !== undefined) return known
  const billed = (await receivableOf(db, entry.id)) - (await billedBefore(db, entry, memo))
  memo.set(entry.id, billed)
  return billed
}
