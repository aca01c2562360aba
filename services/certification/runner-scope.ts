import { unscopedDb } from '../platform/db/unscoped.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { sha256 } from '../identity/tokens.ts'
import { now } from '../platform/clock.ts'
import { systemScope } from '../tenancy/tenant-guard.ts'

/** The tenancy guard for runner calls: the runner's secret decides its organization. */
export async function runnerScope(authorization: string | null) {
  const secret = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1]
  if (!secret) throw new AppError('unauthenticated', 'Send the runner secret: Authorization: Bearer ggml_runner_…')
  const runner = await unscopedDb('token').certRunner.findUnique({ where: { secretHash: sha256(secret) } })
  if (!runner || runner.revokedAt)
    throw new AppError('unauthenticated', 'This runner is unknown or revoked; register it again.')
  await unscopedDb('token').certRunner.update({ where: { id: runner.id }, data: { lastSeenAt: now() } })
  return { runner, scope: await systemScope(runner.organizationId) }
}
