import { db } from '../db/client.ts'
import { AppError } from '../errors/app-error.ts'
import type { Actor } from '../identity/actor.ts'
import { assertCanAsStaff } from '../tenancy/tenant-guard.ts'
import { blueprintSchema, choicesSchema } from './exam-policy.ts'

/** The instructor's view of an exam's bank: every item, its live version, what waits for review. */
export async function itemBank(actor: Actor, examSlug: string) {
  assertCanAsStaff(actor, 'training.view')
  const exam = await db().exam.findUnique({ where: { slug: examSlug } })
  if (!exam) throw new AppError('not_found', 'No such exam.')
  const items = await db().examItem.findMany({
    where: { examId: exam.id },
    orderBy: { createdAt: 'asc' },
    include: { versions: { orderBy: { version: 'desc' } } },
  })
  const people = new Map(
    (
      await db().user.findMany({
        where: {
          id: { in: [...new Set(items.flatMap((i) => i.versions.flatMap((v) => [v.authorId, v.reviewerId ?? ''])))] },
        },
        select: { id: true, name: true },
      })
    ).map((u) => [u.id, u.name]),
  )
  const blueprint = blueprintSchema.parse(exam.blueprint)
  const live = items.filter((i) => i.liveVersionId && !i.retiredAt)
  return {
    exam: {
      slug: exam.slug,
      title: exam.title,
      formsAssembled: exam.formsAssembled,
      maxExposurePercent: exam.maxExposurePercent,
    },
    domains: Object.entries(blueprint).map(([domain, perForm]) => ({
      domain,
      perForm,
      live: live.filter((i) => i.domain === domain).length,
    })),
    items: items.map((i) => ({
      id: i.id,
      domain: i.domain,
      retired: Boolean(i.retiredAt),
      exposureCount: i.exposureCount,
      versions: i.versions.map((v) => ({
        id: v.id,
        version: v.version,
        state: v.state,
        kind: v.kind,
        stem: v.stem,
        choices: choicesSchema.parse(v.choices),
        key: v.key,
        explanation: v.explanation,
        difficulty: v.difficulty,
        tags: v.tags,
        author: people.get(v.authorId) ?? '—',
        authorIsMe: v.authorId === actor.userId,
        reviewer: v.reviewerId ? (people.get(v.reviewerId) ?? '—') : null,
        reviewNote: v.reviewNote,
      })),
    })),
  }
}
