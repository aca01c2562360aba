import type { Db, Tx } from '../db/client.ts'

/**
 * What a report posting should bill: its receivable less what earlier postings for the same
 * contract and period (restated revisions, re-ratings, the period-close placeholder it replaced)
 * already billed. Worked out from the ledger alone, so it does not matter in which order the
 * invoice jobs run: each earlier posting billed max(0, its receivable − billed before it), so the
 * total billed for a period is the largest receivable it ever had. A restatement that lowers the
 * charges bills nothing; the difference stays on the statement as a credit (no Stripe credit note
 * yet, see docs/decisions/006).
 */
export async function periodBilling(db: Pick<Db | Tx, 'journalEntry' | 'royaltyReport'>, entry: { id: string; seq: bigint; kind: string; reportId: string | null }): Promise<{ receivableMinor: bigint; billedBeforeMinor: bigint; periods: string[] }> {
  const receivableOf = (e: { lines: { debitMinor: bigint; account: { type: string } }[] }) => e.lines.filter((l) => l.account.type === 'royalty_receivable').reduce((s, l) => s + l.debitMinor, 0n)
  const include = { lines: { include: { account: { select: { type: true } } } } } as const
  const self = await db.journalEntry.findUniqueOrThrow({ where: { id: entry.id }, include })
  if (entry.kind !== 'report_charges' || !entry.reportId) return { receivableMinor: receivableOf(self), billedBeforeMinor: 0n, periods: [] }
  const report = await db.royaltyReport.findUniqueOrThrow({ where: { id: entry.reportId } })
  // Reports of this contract whose period (end exclusive) overlaps this one: its revisions and any placeholder it replaced.
  const related = await db.royaltyReport.findMany({ where: { contractId: report.contractId, periodStart: { lt: report.periodEnd }, periodEnd: { gt: report.periodStart } }, select: { id: true } })
  const earlier = await db.journalEntry.findMany({ where: { kind: 'report_charges', reportId: { in: related.map((r) => r.id) }, seq: { lt: entry.seq } }, orderBy: { seq: 'asc' }, include })
  let billed = 0n
  for (const e of earlier) {
    const r = receivableOf(e)
    if (r > billed) billed = r
  }
  return { receivableMinor: receivableOf(self), billedBeforeMinor: billed, periods: [...new Set(earlier.map((e) => e.periodTag ?? '').filter(Boolean))] }
}
