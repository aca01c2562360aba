import { z } from 'zod'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { now } from '../platform/clock.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { clearSecondFactor, isGgmlAdmin } from './reset-second-factor.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

export const approveSecondFactorResetSchema = z.object({ requestId: z.string().min(1) })

/**
 * The second pair of eyes (issue 25): a ggml admin other than the one who asked approves an open
 * request, and only then is the second factor reset. The database refuses a requester's own approval
 * too (a CHECK), and the conditional update lets one approval through.
 */
export async function approveSecondFactorReset(
  scope: TenantScope,
  input: z.input<typeof approveSecondFactorResetSchema>,
): Promise<{ name: string }> {
  assertCan(scope, 'team.reset_second_factor')
  if (!isGgmlAdmin(scope.actor)) throw new AppError('forbidden', 'Only a ggml admin approves a second-factor reset.')
  const { requestId } = parseInput(approveSecondFactorResetSchema, input)
  const request = await unscopedDb('staff view').secondFactorReset.findUnique({
    where: { id: requestId },
    include: { user: true },
  })
  // Approved on the team page of an organization the person belongs to, as it was asked.
  const member = request && (await scope.db.membership.findFirst({ where: { userId: request.userId } }))
  if (!request || !member || request.decidedAt) throw new AppError('not_found', 'No such open reset request.')
  if (request.requestedById === scope.actor.userId)
    throw new AppError('forbidden', 'You asked for this reset: a different ggml admin must approve it.')
  if (request.userId === scope.actor.userId)
    throw new AppError('forbidden', 'You cannot approve a reset of your own second factor; ask another admin.')
  await unscopedDb('staff view').$transaction(async (tx) => {
    const decided = await tx.secondFactorReset.updateMany({
      where: { id: request.id, decidedAt: null },
      data: { approvedById: scope.actor.userId, decidedAt: now() },
    })
    if (decided.count !== 1) throw new AppError('conflict', 'This request was decided already.')
    await clearSecondFactor(tx, scope, request.user, {
      reason: request.reason,
      requestId: request.id,
      requestedById: request.requestedById,
    })
  })
  return { name: request.user.name }
}
