import { z } from 'zod'
import { auditActorOf, recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { now } from '../platform/clock.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { postSeatPack } from './post-seat-pack.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

export const decideSeatPackSchema = z.object({
  packId: z.string().min(1).max(64),
  decision: z.enum(['approve', 'decline']),
})

/**
 * A second finance person decides a seat pack priced under the floor (sell-seat-pack.ts): approved, it
 * is posted and invoiced; declined, it gives no seats. Whoever sold it cannot decide it, and the
 * database refuses it too (TrainingSeatPack_four_eyes_check).
 */
export async function decideSeatPack(scope: TenantScope, input: z.input<typeof decideSeatPackSchema>) {
  assertCan(scope, 'training.sell_seats')
  const { packId, decision } = parseInput(decideSeatPackSchema, input)
  return scope.db.$transaction(async (tx) => {
    const pack = await tx.trainingSeatPack.findFirst({
      where: { id: packId },
      include: { course: { select: { title: true } }, exam: { select: { title: true } } },
    })
    if (!pack) throw new AppError('not_found', 'No such seat pack.')
    if (pack.requestedById === scope.actor.userId)
      throw new AppError('forbidden', 'You sold this pack: another finance person approves its price.')
    const moved = await tx.trainingSeatPack.updateMany({
      where: { id: pack.id, status: 'pending_approval' },
      data: {
        status: decision === 'approve' ? 'approved' : 'declined',
        decidedById: scope.actor.userId,
        decidedAt: now(),
      },
    })
    if (!moved.count) throw new AppError('conflict', 'This seat pack was decided already.')
    await recordAuditEvent(tx, {
      actor: auditActorOf(scope),
      organizationId: scope.organization.id,
      action: decision === 'approve' ? 'training.seats_price_approved' : 'training.seats_price_declined',
      targetType: 'training_seat_pack',
      targetId: pack.id,
      changes: { requestedById: pack.requestedById },
    })
    if (decision === 'decline') return { journalEntryId: null }
    const description = `${pack.course.title} + ${pack.exam.title}: ${pack.seats} seats`
    return { journalEntryId: await postSeatPack(tx, scope, pack, description) }
  })
}
