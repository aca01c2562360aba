import { recordAuditEvent, auditActorOf } from '../platform/audit/record-audit-event.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { now } from '../platform/clock.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'

export async function revokeApiToken(scope: TenantScope, tokenId: string) {
  assertCan(scope, 'api_tokens.revoke')
  const token = await scope.db.apiToken.findUnique({ where: { id: tokenId } })
  if (!token || token.revokedAt) throw new AppError('not_found', 'No active token with that id.')
  await scope.db.$transaction(async (tx) => {
    await tx.apiToken.update({ where: { id: tokenId }, data: { revokedAt: now() } })
    await recordAuditEvent(tx, {
      actor: auditActorOf(scope),
      organizationId: scope.organization.id,
      action: 'api_token.revoke',
      targetType: 'api_token',
      targetId: tokenId,
      changes: { before: { name: token.name } },
    })
  })
}
