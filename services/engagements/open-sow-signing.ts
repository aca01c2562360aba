import { appUrl } from '../platform/config/env.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { docusignClient, docusignErrorCode } from '../platform/docusign/docusign-client.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'

/**
 * The DocuSign signing ceremony of a statement of work for the signer whose turn it is: the
 * customer's, then ggml's. Scope: contracts.sign in the customer's organization (ggml's signatory
 * acts on its behalf there).
 */
export async function openSowSigning(scope: TenantScope, engagementId: string, returnPath: string): Promise<string> {
  assertCan(scope, 'contracts.sign')
  const e = await scope.db.engagement.findFirst({ where: { id: engagementId } })
  if (!e || !e.sowEnvelopeId || e.status !== 'draft')
    throw new AppError('not_found', 'No statement of work is waiting for a signature here.')
  const me = scope.actor.userId
  if (me !== e.sowCustomerSignerId && me !== e.sowGgmlSignerId)
    throw new AppError('forbidden', 'You are not a signer of this statement of work.')
  const signer = await unscopedDb('in scope').user.findUniqueOrThrow({ where: { id: me } })
  try {
    return await docusignClient().createRecipientView(
      e.sowEnvelopeId,
      { name: signer.name, email: signer.email, clientUserId: signer.id },
      `${appUrl()}${returnPath}`,
    )
  } catch (err) {
    const code = docusignErrorCode(err)
    if (code === 'RECIPIENT_NOT_IN_SEQUENCE')
      throw new AppError('conflict', 'It is not your turn to sign yet: the customer signs first, then ggml.')
    throw err
  }
}
