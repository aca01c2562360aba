import { recordAuditEvent, auditActorOf } from '../audit/record-audit-event.ts'
import { newId } from '../db/ids.ts'
import { newSecretToken } from '../identity/tokens.ts'
import { nowMs } from '../platform/clock.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'

export const RUNNER_TOKEN_TTL_MS = 24 * 3600 * 1000

/** A one-time registration token for a runner. Scope: certification.view. */
export async function createRunnerToken(scope: TenantScope): Promise<string> {
  assertCan(scope, 'runner_tokens.create')
  const { token, tokenHash } = newSecretToken()
  await scope.db.$transaction(async (tx) => {
    const id = newId()
    await tx.certRunnerToken.create({
      data: {
        id,
        organizationId: scope.organization.id,
        tokenHash,
        createdById: scope.actor.userId,
        expiresAt: new Date(nowMs() + RUNNER_TOKEN_TTL_MS),
      },
    })
    await recordAuditEvent(tx, {
      actor: auditActorOf(scope),
      organizationId: scope.organization.id,
      action: 'cert_runner_token.create',
      targetType: 'cert_runner_token',
      targetId: id,
    })
  })
  return `ggml_rt_${token}`
}
