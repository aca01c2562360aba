import { unscopedDb } from '../platform/db/unscoped.ts'
import { AppError } from '../platform/errors/app-error.ts'
import type { Actor } from '../identity/actor.ts'
import { pageOf } from '../platform/paging.ts'
import { assertCanAsStaff } from '../tenancy/tenant-guard.ts'
import { blueprintSchema, choicesSchema } from './exam-policy.ts'

export interface ItemBankView {
  /** Only items with a version waiting for review (the training home links here; issue 29). */
  waiting?: boolean
  /** Words in any version's question, tags or domain. */
  q?: string
  page: number
}

/**
 * The instructor's view of an exam's bank, one page of items at a time (a bank of a few hundred items
 * was a 19,000-px page; issue 29): each item's versions, what waits for review, blueprint coverage
 * over the whole bank.
 */
export async function itemBank(actor: Actor, examSlug: string, view: ItemBankView = { page: 1 }) {
  assertCanAsStaff(actor, 'training.view')
  const exam = await unscopedDb('catalogue').exam.findUnique({ where: { slug: examSlug } })
  if (!exam) throw new AppError('not_found', 'No such exam.')
  const items = await unscopedDb('catalogue').examItem.findMany({
    where: { examId: exam.id },
    orderBy: { createdAt: 'asc' },
    include: { versions: { orderBy: { version: 'desc' } } },
  })
  const people = new Map(
    (
      await unscopedDb('staff view').user.findMany({
        where: {
          id: { in: [...new Set(items.flatMap((i) => i.versions.flatMap((v) => [v.authorId, v.reviewerId ?? ''])))] },
        },
        select: { id: true, name: true },
      })
    ).map((u) => [u.id, u.name]),
  )
  const blueprint = blueprintSchema.parse(exam.blueprint)
  const live = items.filter((i) => i.liveVersionId && !i.retiredAt)
  const q = view.q?.trim().toLowerCase()
  const shown = items.filter(
    (i) =>
      (!view.waiting || i.versions.some((v) => v.state === 'in_review')) &&
      (!q ||
        i.domain.toLowerCase().includes(q) ||
        i.versions.some((v) => v.stem.toLowerCase().includes(q) || v.tags.some((t) => t.toLowerCase() === q))),
  )
  // 25 a page: an item is a card of several lines even closed, and instructors write above the list.
  const { rows, ...page } = pageOf(shown, { page: view.page, pageSize: 25 })
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
    totalItems: items.length,
    waitingItems: items.filter((i) => i.versions.some((v) => v.state === 'in_review')).length,
    page,
    items: rows.map((i) => ({
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
