import { unscopedDb } from '../platform/db/unscoped.ts'
import { AppError } from '../platform/errors/app-error.ts'
import type { Actor } from '../identity/actor.ts'
import { assertCanAsStaff } from '../tenancy/tenant-guard.ts'
import { choicesSchema } from './exam-policy.ts'
import { lintItem, lintItemBank, type ItemFinding } from './lint-item-bank.ts'

/**
 * The item lint of what forms draw now: the live version of every item that is not retired (issue 26).
 * Bank-level findings first; item findings carry the item's domain and stem so a reviewer can find it.
 */
export async function lintExamBank(actor: Actor, examSlug: string) {
  assertCanAsStaff(actor, 'exams.statistics')
  const exam = await unscopedDb('catalogue').exam.findUnique({
    where: { slug: examSlug },
    select: {
      slug: true,
      items: {
        where: { retiredAt: null, liveVersionId: { not: null } },
        orderBy: { createdAt: 'asc' },
        select: {
          id: true,
          domain: true,
          liveVersion: { select: { stem: true, kind: true, choices: true, key: true } },
        },
      },
    },
  })
  if (!exam) throw new AppError('not_found', 'No such exam.')
  const live = exam.items.flatMap((i) => (i.liveVersion ? [{ ...i, version: i.liveVersion }] : []))
  const lint = lintItemBank(
    live.map((i) => ({
      id: i.id,
      domain: i.domain,
      kind: i.version.kind,
      choices: choicesSchema.parse(i.version.choices),
      key: i.version.key,
    })),
  )
  const byId = new Map(live.map((i) => [i.id, i]))
  return {
    liveItems: live.length,
    bank: lint.bank,
    measures: lint.measures,
    items: lint.items.map((i) => ({
      ...i,
      domain: byId.get(i.itemId)!.domain,
      stem: byId.get(i.itemId)!.version.stem,
    })),
  }
}

interface VersionForReview {
  id: string
  state: string
  kind: 'single' | 'multiple'
  choices: { id: string; text: string }[]
  key: string[]
}

/** Each version waiting for review, with its own findings, for the reviewer to read beside Approve. */
export function lintVersionsInReview(items: readonly { id: string; domain: string; versions: VersionForReview[] }[]) {
  const findings: Record<string, ItemFinding[]> = {}
  for (const item of items)
    for (const v of item.versions)
      if (v.state === 'in_review')
        findings[v.id] = lintItem({ id: item.id, domain: item.domain, kind: v.kind, choices: v.choices, key: v.key })
  return findings
}
