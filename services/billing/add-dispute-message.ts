import { AppError } from '../platform/errors/app-error.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { messageData } from './disputes.ts'

/** Either side adds to the thread. Scope: royalties.view (partner) or ledger.adjust (finance). */
export async function addDisputeMessage(
  scope: TenantScope,
  disputeId: string,
  body: string,
  evidence?: { name: string; bytes: Uint8Array },
) {
  assertCan(scope, 'disputes.reply')
  if (!body.trim()) throw new AppError('invalid_input', 'Write a message.', { body: ['Write a message.'] })
  const dispute = await scope.db.dispute.findUnique({ where: { id: disputeId } })
  if (!dispute) throw new AppError('not_found', 'No such dispute.')
  if (dispute.status !== 'open') throw new AppError('conflict', 'This dispute is closed.')
  await scope.db.disputeMessage.create({ data: messageData(scope, disputeId, body.trim(), evidence) })
}
