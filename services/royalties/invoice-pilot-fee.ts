import { contractNumber } from '../contracts/contract-number.ts'
import { postReceivable } from '../ledger/post-receivable.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import type { JobHandler } from '../platform/jobs/define-job.ts'
import { amountOf, readContractTerms } from '../rating/contract-terms.ts'

/**
 * A paid pilot's fee, invoiced once per contract: receivable against pilot revenue, dated the day its
 * signature was recorded. Queued when a version of the pilot is signed (contracts/sync-envelope.ts); the key
 * is the contract's, so a retried job, a replayed webhook or a signed amendment posts nothing twice.
 */
export const handleInvoicePilotFee: JobHandler<'royalties.invoice-pilot-fee'> = async ({
  contractVersionId,
  signedOn,
}) => {
  const version = await unscopedDb('platform job').contractVersion.findUnique({
    where: { id: contractVersionId },
    include: { contract: true },
  })
  if (!version || version.contract.kind !== 'paid_pilot') return
  const { contract } = version
  const terms = readContractTerms(version.terms)
  if (!terms.pilotFee) return
  const amount = amountOf(terms, terms.pilotFee.amount)
  await unscopedDb('platform job').$transaction((tx) =>
    postReceivable(tx, {
      organizationId: contract.organizationId,
      currency: terms.currency,
      idempotencyKey: `pilot-fee:${contract.id}`,
      kind: 'adjustment',
      description: `Pilot fee, ${contractNumber(contract.seq, contract.createdAt)} ${contract.title}`,
      effectiveDate: signedOn,
      lines: [
        { account: 'royalty_receivable', debitMinor: amount, memo: 'Pilot fee' },
        { account: 'pilot_fee_revenue', creditMinor: amount, memo: 'Pilot fee' },
      ],
    }),
  )
}
