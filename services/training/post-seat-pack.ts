import { auditActorOf, recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import type { Tx } from '../platform/db/client.ts'
import { moneyIn } from '../engagements/engagement-money.ts'
import { postReceivable } from '../ledger/post-receivable.ts'
import { todayUtc } from '../platform/clock.ts'
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
  // Each pack is claimed before it is posted (sold, or approved once), so its key is always new here.
  const { id: entryId } = await postReceivable(tx, {
    organizationId: scope.organization.id,
    currency: pack.currency,
    idempotencyKey: `training-seats:${pack.id}`,
    kind: 'training_invoice',
    description,
    effectiveDate: todayUtc(),
    createdById: scope.actor.userId,
    lines: [
      { account: 'training_receivable', debitMinor: pack.priceMinor, memo: description },
      { account: 'training_revenue', creditMinor: pack.priceMinor, memo: 'Training seats' },
    ],
  })
  await tx.trainingSeatPack.update({ where: { id: pack.id }, data: { invoiceId: entryId } })
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
