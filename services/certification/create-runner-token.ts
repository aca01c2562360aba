import { recordAuditEvent, auditActorOf } from '../platform/audit/record-audit-event.ts'
import { newId } from '../platform/db/ids.ts'
import { newSecretToken } from '../identity/tokens.ts'
import { nowMs } from '../platform/clock.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'

export const RUNNER_TOKEN_TTL_MS = 24 * 3600 * 1000

/**
 * A one-time registration token for a runner. Scope: certification.view. A lab token registers
 * ggml's own runner (on a unit in ggml's lab) in the partner's organization: only a certification
 * engineer acting on the partner's behalf makes one, and the audit log says so.
 */
export async function createRunnerToken(scope: TenantScope, opts: { lab?: boolean } = {}): Promise<string> {
  assertCan(scope, opts.lab ? 'runner_tokens.create_lab' : 'runner_tokens.create')
  const { token, tokenHash } = newSecretToken()
  await scope.db.$transaction(async (tx) => {
    const id = newId()
    await tx.certRunnerToken.create({
      data: {
        id,
        organizationId: scope.organization.id,
        tokenHash,
        createdById: scope.actor.userId,
        lab: opts.lab ?? false,
        expiresAt: new Date(nowMs() + RUNNER_TOKEN_TTL_MS),
      },
    })
    await recordAuditEvent(tx, {
      actor: auditActorOf(scope),
      organizationId: scope.organization.id,
      action: opts.lab ? 'cert_runner_token.create_lab' : 'cert_runner_token.create',
      targetType: 'cert_runner_token',
      targetId: id,
    })
  })
  return `ggml_rt_${token}`
}
