import { z } from 'zod'
import { recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { newId } from '../platform/db/ids.ts'
import { AppError } from '../platform/errors/app-error.ts'
import type { Actor } from '../identity/actor.ts'
import { assertCanAsStaff } from '../tenancy/tenant-guard.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

const lines = (s: string) =>
  s
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)

export const authorItemSchema = z
  .object({
    examSlug: z.string().min(1).max(100),
    /** A new version of this item; empty for a new item. */
    itemId: z.string().max(64).optional().default(''),
    domain: z.string().trim().min(1, 'Name the domain.').max(60),
    kind: z.enum(['single', 'multiple']),
    stem: z.string().trim().min(10, 'Write the question (at least 10 characters).').max(2000),
    /** One choice per line. */
    choices: z
      .string()
      .transform(lines)
      .pipe(z.array(z.string().max(300)).min(2, 'Give at least two choices.').max(8)),
    /** The correct choices' numbers, e.g. "2" or "1, 3". */
    key: z
      .string()
      .transform((s) => [
        ...new Set(
          s
            .split(/[\s,]+/)
            .filter(Boolean)
            .map(Number),
        ),
      ])
      .pipe(z.array(z.number().int().min(1)).min(1, 'Say which choice is correct.')),
    explanation: z.string().trim().min(1, 'Explain the answer for reviewers.').max(2000),
    difficulty: z.coerce.number().int().min(1).max(5),
    tags: z
      .string()
      .optional()
      .default('')
      .transform((s) => [
        ...new Set(
          s
            .split(',')
            .map((t) => t.trim())
            .filter(Boolean),
        ),
      ]),
  })
  .superRefine((v, ctx) => {
    if (v.key.some((k) => k > v.choices.length))
      ctx.addIssue({ code: 'custom', path: ['key'], message: `Choices are numbered 1 to ${v.choices.length}.` })
    if (v.kind === 'single' && v.key.length !== 1)
      ctx.addIssue({ code: 'custom', path: ['key'], message: 'A single-choice item has exactly one correct choice.' })
    if (new Set(v.choices.map((c) => c.toLowerCase())).size !== v.choices.length)
      ctx.addIssue({ code: 'custom', path: ['choices'], message: 'Two choices say the same thing.' })
  })

/**
 * Writes an item version and sends it to review. A new item starts at version 1; an edit of a live
 * item is a new version (the live one keeps serving, and attempts keep the version they drew).
 */
export async function authorItem(actor: Actor, input: z.input<typeof authorItemSchema>) {
  assertCanAsStaff(actor, 'items.author')
  const data = parseInput(authorItemSchema, input)
  const exam = await unscopedDb('catalogue').exam.findUnique({ where: { slug: data.examSlug } })
  if (!exam) throw new AppError('not_found', 'No such exam.')
  const choices = data.choices.map((text, i) => ({ id: String.fromCharCode(97 + i), text }))
  const key = data.key.map((k) => choices[k - 1]!.id)
  return unscopedDb('catalogue').$transaction(async (tx) => {
    let itemId = data.itemId
    if (itemId) {
      const item = await tx.examItem.findFirst({ where: { id: itemId, examId: exam.id } })
      if (!item) throw new AppError('not_found', 'No such item in this exam.')
      if (item.retiredAt) throw new AppError('conflict', 'This item is retired.')
      if (await tx.examItemVersion.count({ where: { itemId, state: 'in_review' } }))
        throw new AppError('conflict', 'A version of this item is already waiting for review.')
      await tx.examItem.update({ where: { id: itemId }, data: { domain: data.domain } })
    } else {
      itemId = newId()
      await tx.examItem.create({ data: { id: itemId, examId: exam.id, domain: data.domain } })
    }
    const last = await tx.examItemVersion.findFirst({ where: { itemId }, orderBy: { version: 'desc' } })
    const version = await tx.examItemVersion.create({
      data: {
        id: newId(),
        itemId,
        version: (last?.version ?? 0) + 1,
        kind: data.kind,
        stem: data.stem,
        choices,
        key,
        explanation: data.explanation,
        difficulty: data.difficulty,
        tags: data.tags,
        state: 'in_review',
        authorId: actor.userId,
      },
    })
    await recordAuditEvent(tx, {
      actor: { userId: actor.userId, email: actor.email },
      organizationId: null,
      action: 'exam_item.write',
      targetType: 'exam_item_version',
      targetId: version.id,
      changes: { exam: exam.slug, item: itemId, version: version.version },
    })
    return { itemId, versionId: version.id, version: version.version }
  })
}
