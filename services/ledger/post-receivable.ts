import type { Tx } from '../platform/db/client.ts'
import { enqueueJob } from '../platform/jobs/enqueue-job.ts'
import { postJournalEntry, type LedgerTx, type Posting } from './post-journal-entry.ts'

/**
 * A posting that billing turns into a document (an invoice, or a credit note for a reduction): the balanced
 * entry and, when this call created it, the 'billing.issue-invoice' job in the same transaction (the outbox),
 * so the document is issued if and only if the entry commits. A replay under the same idempotency key returns
 * the entry already posted and queues nothing, so a retried caller never bills twice.
 */
export async function postReceivable(
  tx: LedgerTx & Pick<Tx, 'outboxMessage'>,
  p: Posting,
): Promise<{ id: string; created: boolean }> {
  const entry = await postJournalEntry(tx, p)
  if (entry.created) await enqueueJob(tx, 'billing.issue-invoice', { journalEntryId: entry.id })
  return entry
}
