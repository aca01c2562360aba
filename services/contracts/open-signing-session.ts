import { appUrl } from '../platform/config/env.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { docusignClient, docusignErrorCode } from '../platform/docusign/docusign-client.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'

/**
 * The DocuSign signing ceremony for the signer whose turn it is. Scope: contracts.sign in the
 * organization the signer signs for (the partner's, or ggml's for ggml's signer).
 */
export async function openSigningSession(scope: TenantScope, versionId: string, returnPath: string): Promise<string> {
  assertCan(scope, 'contracts.sign')
  const version = await scope.db.contractVersion.findUnique({
    where: { id: versionId },
    include: { envelopes: { orderBy: { createdAt: 'desc' }, take: 1 } },
  })
  const envelope = version?.envelopes[0]
  if (!version || !envelope) throw new AppError('not_found', 'Nothing to sign here.')
  if (version.state !== 'sent' || !['sent', 'delivered'].includes(envelope.status))
    throw new AppError('conflict', 'This agreement is not waiting for a signature.')
  const me = scope.actor.userId
  if (me !== version.partnerSignerUserId && me !== version.ggmlSignerUserId)
    throw new AppError('forbidden', 'You are not a signer of this agreement.')
  const signer = await unscopedDb('in scope').user.findUniqueOrThrow({ where: { id: me } })
  try {
    return await docusignClient().createRecipientView(
      envelope.envelopeId,
      { name: signer.name, email: signer.email, clientUserId: signer.id },
      `${appUrl()}${returnPath}`,
    )
  } catch (err) {
    const code = docusignErrorCode(err)
    if (code === 'RECIPIENT_NOT_IN_SEQUENCE')
      throw new AppError('conflict', 'It is not your turn to sign yet: the partner signs first, then ggml.')
    throw err
  }
}
