import { contractNumber } from '../contracts/contract-number.ts'
import { amountOf, type ContractTerms, readContractTerms } from '../rating/contract-terms.ts'
import type { Tx } from '../platform/db/client.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import type { JobHandler } from '../platform/jobs/define-job.ts'
import { postReceivable } from '../ledger/post-receivable.ts'
import { todayUtc } from '../platform/clock.ts'

/**
 * The prepaid advance, invoiced once per contract: receivable against deferred revenue, recouped from
 * royalties later. The contract calls it "paid up front", so it is invoiced at signature (the job below);
 * a report filed first (a contract signed before this rule) invoices it then, under the same key, once.
 */
export async function postAdvanceOnce(
  tx: Tx,
  c: { organizationId: string; contractId: string; contractLabel: string; terms: ContractTerms },
) {
  if (!c.terms.prepaidAdvance) return
  const amount = amountOf(c.terms, c.terms.prepaidAdvance.amount)
  await postReceivable(tx, {
    organizationId: c.organizationId,
    currency: c.terms.currency,
    idempotencyKey: `advance:${c.contractId}`,
    kind: 'advance_invoiced',
    description: `Prepaid advance, ${c.contractLabel}`,
    effectiveDate: todayUtc(),
    lines: [
      { account: 'royalty_receivable', debitMinor: amount, memo: 'Prepaid advance invoiced' },
      { account: 'deferred_revenue', creditMinor: amount, memo: 'Prepaid advance, recouped from royalties' },
    ],
  })
}

/** Queued when a contract's first version is signed (contracts/sync-envelope.ts). */
export const handleInvoiceAdvance: JobHandler<'royalties.invoice-advance'> = async ({ contractId }) => {
  const contract = await unscopedDb('platform job').contract.findUnique({
    where: { id: contractId },
    include: { versions: { where: { state: 'signed' }, orderBy: { version: 'asc' }, take: 1 } },
  })
  const first = contract?.versions[0]
  if (!contract || !first) return
  await unscopedDb('platform job').$transaction((tx) =>
    postAdvanceOnce(tx, {
      organizationId: contract.organizationId,
      contractId,
      contractLabel: `${contractNumber(contract.seq, contract.createdAt)} ${contract.title}`,
      terms: readContractTerms(first.terms),
    }),
  )
}
