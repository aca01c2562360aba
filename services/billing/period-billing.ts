import type { Db, Tx } from '../db/client.ts'

type Reader = Pick<Db | Tx, 'journalEntry' | 'royaltyReport'>
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
 * posting bills max(0, its receivable − what overlapping earlier postings billed): for one period
 * that is the largest receivable it ever had; a late quarter subtracts all three monthly
 * placeholders. A restatement that lowers the charges bills nothing; the difference stays on the
 * statement as the partner's credit (no Stripe credit note yet, see docs/decisions/006).
 */
export function billedBeforeInPeriod(db: Reader, entry: EntryRef): Promise<bigint> {
  return billedBefore(db, entry, new Map())
}

async function receivableOf(db: Reader, entryId: string): Promise<bigint> {
  const e = await db.journalEntry.findUniqueOrThrow({
    where: { id: entryId },
    include: { lines: { include: { account: { select: { type: true } } } } },
  })
  return e.lines.filter((l) => l.account.type === 'royalty_receivable').reduce((s, l) => s + l.debitMinor, 0n)
}

async function billedBefore(db: Reader, entry: EntryRef, memo: Map<string, bigint>): Promise<bigint> {
  if (entry.kind !== 'report_charges' || !entry.reportId) return 0n
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
  const earlier = await db.journalEntry.findMany({
    where: { kind: 'report_charges', reportId: { in: related.map((r) => r.id) }, seq: { lt: entry.seq } },
    orderBy: { seq: 'asc' },
    select: { id: true, seq: true, kind: true, reportId: true },
  })
  let total = 0n
  for (const e of earlier) total += await billedBy(db, e, memo)
  return total
}

async function billedBy(db: Reader, entry: EntryRef, memo: Map<string, bigint>): Promise<bigint> {
  const known = memo.get(entry.id)
  if (known !== undefined) return known
  const billed = (await receivableOf(db, entry.id)) - (await billedBefore(db, entry, memo))
  const amount = billed > 0n ? billed : 0n
  memo.set(entry.id, amount)
  return amount
}
