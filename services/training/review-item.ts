import { z } from 'zod'
import { recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { AppError } from '../platform/errors/app-error.ts'
import type { Actor } from '../identity/actor.ts'
import { now } from '../platform/clock.ts'
import { assertCanAsStaff } from '../tenancy/tenant-guard.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

export const reviewItemSchema = z.discriminatedUnion('decision', [
  z.object({
    versionId: z.string().min(1).max(64),
    decision: z.literal('approve'),
    note: z.string().max(1000).optional(),
  }),
  z.object({
    versionId: z.string().min(1).max(64),
    decision: z.literal('reject'),
    note: z.string().trim().min(1, 'Say what the author should change.').max(1000),
  }),
])

/**
 * A second instructor's review. Approval makes the version live (the one new forms draw) and the
 * previous live one superseded; the author can never approve their own (the database refuses it too).
 */
export async function reviewItem(actor: Actor, input: z.input<typeof reviewItemSchema>) {
  assertCanAsStaff(actor, 'items.review')
  const data = parseInput(reviewItemSchema, input)
  return unscopedDb('catalogue').$transaction(async (tx) => {
    const v = await tx.examItemVersion.findUnique({ where: { id: data.versionId }, include: { item: true } })
    if (!v) throw new AppError('not_found', 'No such item version.')
    if (v.authorId === actor.userId)
      throw new AppError('forbidden', 'You wrote this version: a second instructor must review it.')
    const claimed = await tx.examItemVersion.updateMany({
      where: { id: v.id, state: 'in_review' },
      data: {
        state: data.decision === 'approve' ? 'live' : 'rejected',
        reviewerId: actor.userId,
        reviewNote: data.note ?? null,
        reviewedAt: now(),
      },
    })
    if (!claimed.count) throw new AppError('conflict', 'This version is not waiting for review.')
    if (data.decision === 'approve') {
      if (v.item.liveVersionId)
        await tx.examItemVersion.update({ where: { id: v.item.liveVersionId }, data: { state: 'superseded' } })
      await tx.examItem.update({ where: { id: v.itemId }, data: { liveVersionId: v.id } })
    }
    await recordAuditEvent(tx, {
      actor: { userId: actor.userId, email: actor.email },
      organizationId: null,
      action: `exam_item.${data.decision}`,
      targetType: 'exam_item_version',
      targetId: v.id,
      changes: { item: v.itemId, version: v.version, note: data.note ?? null },
    })
    return { itemId: v.itemId, state: data.decision === 'approve' ? 'live' : 'rejected' }
  })
}

export const retireItemSchema = z.object({ itemId: z.string().min(1).max(64) })

/** Retired items stop being drawn; attempts that used them keep them, for history and statistics. */
export async function retireItem(actor: Actor, input: z.input<typeof retireItemSchema>) {
  assertCanAsStaff(actor, 'items.review')
  const { itemId } = parseInput(retireItemSchema, input)
  return unscopedDb('catalogue').$transaction(async (tx) => {
    const done = await tx.examItem.updateMany({ where: { id: itemId, retiredAt: null }, data: { retiredAt: now() } })
    if (!done.count) throw new AppError('conflict', 'No such item, or it is retired already.')
    await recordAuditEvent(tx, {
      actor: { userId: actor.userId, email: actor.email },
      organizationId: null,
      action: 'exam_item.retire',
      targetType: 'exam_item',
      targetId: itemId,
    })
  })
}
