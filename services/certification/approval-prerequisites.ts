import type { Db } from '../platform/db/client.ts'
import { independentRuns, otherAcceptedRuns, type RunComparison } from './badges.ts'
import { reproductionOf } from './partner-runners.ts'
import { readChecks, readBadgeSummary } from './stored-certification.ts'

export interface Flagged {
  check: string
  detail: string
}

export interface Prerequisites {
  /** What approving makes the badge; null: approval is refused, for `reason`. */
  level: 'reviewed' | 'lab-verified' | null
  reason: string
  reproduction: RunComparison | null
  /** What the upload flagged for review (spread, threads, declared hardware, model provenance). */
  flags: Flagged[]
}

const pct = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`

/**
 * The one rule for approving a badge (issue 26): a run by ggml's lab runner within 5% makes it
 * Lab-verified; otherwise a run by another runner on another machine within 5% makes it Reproduced,
 * except for a partner's own model, which the platform cannot recompute: that needs the lab. The
 * queue shows this (the button says why it is disabled) and the server refuses by it.
 */
export async function approvalPrerequisites(
  reader: Pick<Db, 'certJob' | 'certResult' | 'certRunner' | 'membership'>,
  badge: { organizationId: string; requestId: string; resultId: string; summary: unknown },
): Promise<Prerequisites> {
  const summary = readBadgeSummary(badge.summary)
  const result = await reader.certResult.findUniqueOrThrow({ where: { id: badge.resultId }, select: { checks: true } })
  const flags = readChecks(result.checks)
    .filter((c) => c.review)
    .map((c) => ({ check: c.check, detail: c.detail }))
  // Only runs a ggml engineer queued count (the partner chooses neither when nor on what they run),
  // by another runner on another machine: a partner's second runner on its own box proves nothing.
  const candidates = await independentRuns(reader, badge, await otherAcceptedRuns(reader, badge))
  const jobs = await reader.certJob.findMany({
    where: { id: { in: candidates.map((r) => r.jobId) } },
    select: { id: true, queuedById: true },
  })
  const queuers = [...new Set(jobs.map((j) => j.queuedById).filter((id): id is string => Boolean(id)))]
  const partnerPeople = new Set(
    (
      await reader.membership.findMany({
        where: { organizationId: badge.organizationId, userId: { in: queuers } },
        select: { userId: true },
      })
    ).map((m) => m.userId),
  )
  const staffQueued = new Set(jobs.filter((j) => j.queuedById && !partnerPeople.has(j.queuedById)).map((j) => j.id))
  const runs = candidates.filter((r) => staffQueued.has(r.jobId))
  const labIds = new Set(
    (
      await reader.certRunner.findMany({
        where: { id: { in: runs.map((r) => r.runnerId) }, lab: true },
        select: { id: true },
      })
    ).map((r) => r.id),
  )
  const lab = reproductionOf(
    summary,
    runs.filter((r) => labIds.has(r.runnerId)),
  )
  const any = reproductionOf(summary, runs)
  if (lab?.within)
    return { level: 'lab-verified', reason: 'ggml’s lab runner reproduced it within 5%', reproduction: lab, flags }
  const closest = any ? ` (the closest run differs by pp ${pct(any.ppDelta)}, tg ${pct(any.tgDelta)})` : ''
  if (flags.some((f) => f.check === 'model provenance'))
    return {
      level: null,
      reason: `A partner’s own model is approved only on a run by ggml’s lab runner within 5%${closest}.`,
      reproduction: lab ?? any,
      flags,
    }
  if (any?.within)
    return { level: 'reviewed', reason: 'another machine reproduced it within 5%', reproduction: any, flags }
  return {
    level: null,
    reason:
      'Approving needs a second accepted run on another unit (a different runner on a different machine), queued ' +
      `by a ggml engineer, within 5% of these numbers, or a lab run${closest}: queue one first.`,
    reproduction: any,
    flags,
  }
}
