import type { LedgerAccountType } from '../platform/db/generated/enums.ts'
import type { LedgerTx } from './post-journal-entry.ts'

/**
 * What customers owe, by line of business (issue 30): royalties, services, training. Billing invoices
 * whatever a posting adds to any of them; a payment credits the one its invoice debited.
 */
export const RECEIVABLES = ['royalty_receivable', 'services_receivable', 'training_receivable'] as const
export type ReceivableType = (typeof RECEIVABLES)[number]

/** Where a correction of each line of business is booked against: its own revenue account. */
export const REVENUE_OF: Record<ReceivableType, LedgerAccountType> = {
  royalty_receivable: 'royalty_revenue',
  services_receivable: 'services_revenue',
  training_receivable: 'training_revenue',
}

export const isReceivable = (type: string): type is ReceivableType => RECEIVABLES.some((r) => r === type)

/**
 * The receivable a posting debited (what its invoice's payment pays down); royalty_receivable for a
 * posting that debits none (a credit-only re-rating).
 */
export async function receivableOfEntry(db: Pick<LedgerTx, 'journalLine'>, entryId: string): Promise<ReceivableType> {
  const lines = await db.journalLine.findMany({
    where: { entryId, account: { type: { in: [...RECEIVABLES] } } },
    select: { debitMinor: true, account: { select: { type: true } } },
  })
  const debited = lines.find((l) => l.debitMinor > 0n) ?? lines[0]
  const type = debited?.account.type
  return type && isReceivable(type) ? type : 'royalty_receivable'
}
