import { z } from 'zod'
import { auditActorOf, recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { now } from '../platform/clock.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

export const revokeRunnerSchema = z.object({ runnerId: z.string().min(1).max(64) })

/**
 * Revokes a runner (a lost or retired machine, a leaked secret): its secret and key are refused from
 * now on, the job it holds goes back to the queue and jobs queued for it alone may be taken by any
 * runner. The partner's admin does it, or a certification engineer on the partner's behalf (audited).
 */
export async function revokeRunner(scope: TenantScope, input: z.input<typeof revokeRunnerSchema>) {
  assertCan(scope, 'runners.revoke')
  const { runnerId } = parseInput(revokeRunnerSchema, input)
  return scope.db.$transaction(async (tx) => {
    const runner = await tx.certRunner.findFirst({ where: { id: runnerId } })
    if (!runner) throw new AppError('not_found', 'No such runner.')
    // ggml's lab runner is ggml's: only a certification engineer (who can make lab tokens) retires it.
    if (runner.lab) assertCan(scope, 'runner_tokens.create_lab')
    const done = await tx.certRunner.updateMany({
      where: { id: runnerId, revokedAt: null },
      data: { revokedAt: now() },
    })
    if (!done.count) throw new AppError('conflict', `${runner.name} is revoked already.`)
    const requeued = await tx.certJob.updateMany({
      where: { claimedByRunnerId: runnerId, status: 'running' },
      data: { status: 'queued', claimedByRunnerId: null, leaseExpiresAt: null, progress: null },
    })
    await tx.certJob.updateMany({
      where: { assignedRunnerId: runnerId, status: 'queued' },
      data: { assignedRunnerId: null },
    })
    await recordAuditEvent(tx, {
      actor: auditActorOf(scope),
      organizationId: scope.organization.id,
      action: 'cert_runner.revoke',
      targetType: 'cert_runner',
      targetId: runnerId,
      changes: { name: runner.name, jobsRequeued: requeued.count },
    })
    return { name: runner.name, jobsRequeued: requeued.count }
  })
}
