import { auditActorOf, recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import type { Tx } from '../platform/db/client.ts'
import { newId } from '../platform/db/ids.ts'
import { moneyIn } from '../engagements/engagement-money.ts'
import { enqueueJob } from '../platform/jobs/enqueue-job.ts'
import { accountIds } from '../ledger/post-journal-entry.ts'
import { now } from '../platform/clock.ts'
import type { TenantScope } from '../tenancy/tenant-guard.ts'

/**
 * A seat pack's sale on the books and on its way to the customer: the posting (receivable against
 * training revenue) and the invoice job, in the caller's transaction, once the pack's price stands.
 */
export async function postSeatPack(
  tx: Tx,
  scope: TenantScope,
  pack: { id: string; seats: number; priceMinor: bigint; currency: string },
  description: string,
): Promise<string> {
  const entryId = newId()
  await tx.journalEntry.create({
    data: {
      id: entryId,
      organizationId: scope.organization.id,
      currency: pack.currency,
      idempotencyKey: `training-seats:${pack.id}`,
      kind: 'training_invoice',
      description,
      effectiveDate: new Date(`${now().toISOString().slice(0, 10)}T00:00:00Z`),
      createdById: scope.actor.userId,
    },
  })
  const accounts = await accountIds(tx, scope.organization.id, pack.currency, [
    'training_receivable',
    'training_revenue',
  ])
  await tx.journalLine.createMany({
    data: [
      {
        accountId: accounts.get('training_receivable')!,
        debitMinor: pack.priceMinor,
        creditMinor: 0n,
        memo: description,
      },
      {
        accountId: accounts.get('training_revenue')!,
        debitMinor: 0n,
        creditMinor: pack.priceMinor,
        memo: 'Training seats',
      },
    ].map((l) => ({ id: newId(), entryId, organizationId: scope.organization.id, ...l })),
  })
  await tx.trainingSeatPack.update({ where: { id: pack.id }, data: { invoiceId: entryId } })
  await enqueueJob(tx, 'billing.issue-invoice', { journalEntryId: entryId })
  await recordAuditEvent(tx, {
    actor: auditActorOf(scope),
    organizationId: scope.organization.id,
    action: 'training.seats_sell',
    targetType: 'training_seat_pack',
    targetId: pack.id,
    changes: { seats: pack.seats, price: moneyIn(pack.priceMinor, pack.currency), journalEntryId: entryId },
  })
  return entryId
}
