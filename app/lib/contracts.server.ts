import type { RouterContextProvider } from 'react-router'
import { contractScope } from '#services/contracts/contract-scope.ts'
import { syncEnvelope } from '#services/contracts/sync-envelope.ts'
import type { TenantScope } from '#services/tenancy/tenant-guard.ts'
import { logger } from '#services/platform/observability/logger.ts'
import type { Permission } from '#services/identity/permissions.ts'
import { rethrowAsResponse } from './forms.server.ts'
import { requireStaff } from './session.server.ts'

/** Staff contract pages: staff with the permission, then the tenancy guard of the contract's partner. */
export async function requireContractAsStaff(
  context: Readonly<RouterContextProvider>,
  request: Request,
  contractId: string,
  permission: Permission,
) {
  // Contract work happens inside the partner's organization: the action is checked there (the role's
  // onBehalf list), as the contract page does when it offers it.
  const actor = requireStaff(context, request, 'contracts.view')
  return contractScope(actor, contractId, permission).catch(rethrowAsResponse)
}

/**
 * Back from DocuSign's signing page: re-read the envelope now rather than wait for Connect, so the
 * signer sees their signature at once. The same idempotent sync the webhook triggers.
 */
export async function syncAfterSigning(scope: TenantScope, contractId: string, request: Request) {
  if (new URL(request.url).searchParams.get('signing') !== 'returned') return
  const envelopes = await scope.db.contractEnvelope.findMany({
    where: { contractVersion: { contractId }, status: { in: ['sent', 'delivered'] } },
    select: { envelopeId: true },
  })
  for (const e of envelopes)
    await syncEnvelope(e.envelopeId).catch((err) =>
      logger().warn({ err, envelopeId: e.envelopeId }, 'sync after signing failed; Connect will catch up'),
    )
}
