import { recordAuditEvent } from '../audit/record-audit-event.ts'
import { AppError } from '../errors/app-error.ts'
import type { Actor } from '../identity/actor.ts'
import { allPartnersScope, tenantScope, type TenantScope } from '../tenancy/tenant-guard.ts'
import { compareRun, otherAcceptedRuns, type BadgeSummary, type RunComparison } from './badges.ts'
import { queueCertJob } from './cert-jobs.ts'
import { PARTNER_MODEL } from './known-models.ts'
import { now } from '../platform/clock.ts'

/** A partner's certification workspace: runners, requests with their jobs, results and badges. */
export async function certificationOverview(scope: TenantScope) {
  const [runners, requests, jobs, results, badges, files] = await Promise.all([
    scope.db.certRunner.findMany({ orderBy: { createdAt: 'desc' } }),
    scope.db.certRequest.findMany({ orderBy: { createdAt: 'desc' } }),
    scope.db.certJob.findMany({ orderBy: { createdAt: 'desc' } }),
    scope.db.certResult.findMany({
      orderBy: { createdAt: 'desc' },
      select: { id: true, jobId: true, accepted: true, checks: true, createdAt: true, runnerId: true },
    }),
    scope.db.certBadge.findMany({ orderBy: { issuedAt: 'desc' } }),
    scope.db.certRequestFile.findMany({ select: { requestId: true, kind: true, name: true, sha256: true } }),
  ])
  return {
    runners: runners.map((r) => ({
      id: r.id,
      name: r.name,
      lastSeenAt: r.lastSeenAt?.toISOString() ?? null,
      revoked: Boolean(r.revokedAt),
      cpu: (r.fingerprint as { cpu?: { model?: string } }).cpu?.model ?? '',
    })),
    requests: requests.map((q) => ({
      id: q.id,
      productName: q.productName,
      sku: q.sku,
      files: files.filter((f) => f.requestId === q.id).map((f) => ({ kind: f.kind, name: f.name, sha256: f.sha256 })),
      withdrawn: q.withdrawnAt ? { at: q.withdrawnAt.toISOString(), reason: q.withdrawalReason ?? '' } : null,
      jobs: jobs
        .filter((j) => j.requestId === q.id)
        .map((j) => ({
          id: j.id,
          status: j.status,
          progress: j.progress,
          runner: runnerLabel(runners, j),
          model:
            j.modelShape === PARTNER_MODEL
              ? `${j.modelType} (own GGUF ${j.expectedModelSha256.slice(0, 12)}…)`
              : `${j.modelShape} ${j.modelType}`,
          tests: `pp${j.nPrompt} tg${j.nGen} ×${j.repetitions}`,
          results: results
            .filter((r) => r.jobId === j.id)
            .map((r) => ({
              id: r.id,
              accepted: r.accepted,
              failed: (r.checks as { check: string; ok: boolean }[]).filter((c) => !c.ok).map((c) => c.check),
              at: r.createdAt.toISOString(),
            })),
        })),
      badges: badges
        .filter((b) => b.requestId === q.id)
        .map((b) => ({
          id: b.id,
          assurance: b.assurance,
          summary: b.summary as unknown as BadgeSummary,
          revoked: Boolean(b.revokedAt),
        })),
    })),
  }
}

/** Who runs a job: the runner that claimed it, else the one it was queued for, else any. */
function runnerLabel(
  runners: { id: string; name: string }[],
  j: { assignedRunnerId: string | null; claimedByRunnerId: string | null },
): string {
  const name = (id: string) => runners.find((r) => r.id === id)?.name ?? 'a removed runner'
  if (j.claimedByRunnerId) return name(j.claimedByRunnerId)
  return j.assignedRunnerId ? `${name(j.assignedRunnerId)} (queued for it)` : 'any runner'
}

/** Runner-verified badges waiting for a certification engineer, with what the review needs. */
export async function reviewQueue(actor: Actor) {
  const { db } = allPartnersScope(actor, 'certification.view')
  const badges = await db.certBadge.findMany({
    where: { assurance: 'runner-verified', revokedAt: null },
    orderBy: { issuedAt: 'asc' },
  })
  const requestIds = badges.map((b) => b.requestId)
  const [requests, orgs, jobs, runners] = await Promise.all([
    db.certRequest.findMany({ where: { id: { in: requestIds } } }),
    db.organization.findMany({
      where: { id: { in: badges.map((b) => b.organizationId) } },
      select: { id: true, name: true },
    }),
    db.certJob.findMany({
      where: { requestId: { in: requestIds } },
      select: { id: true, requestId: true, status: true },
    }),
    activeRunnersOf(
      db,
      badges.map((b) => b.organizationId),
    ),
  ])
  const results = await db.certResult.findMany({ where: { jobId: { in: jobs.map((j) => j.id) }, accepted: true } })
  return badges.map((b) => {
    const summary = b.summary as unknown as BadgeSummary
    const others = results.filter(
      (r) => r.id !== b.resultId && jobs.some((j) => j.id === r.jobId && j.requestId === b.requestId),
    )
    return {
      id: b.id,
      organizationId: b.organizationId,
      partner: orgs.find((o) => o.id === b.organizationId)?.name ?? '',
      product: requests.find((r) => r.id === b.requestId)?.productName ?? '',
      summary,
      issuedAt: b.issuedAt.toISOString(),
      reproduction: reproductionOf(summary, others),
      runsPending: jobs.filter((j) => j.requestId === b.requestId && (j.status === 'queued' || j.status === 'running'))
        .length,
      runners: runners(b.organizationId),
    }
  })
}

/** The runners an engineer may queue a partner's run on, by organization. */
async function activeRunnersOf(db: Pick<TenantScope['db'], 'certRunner'>, organizationIds: string[]) {
  const runners = await db.certRunner.findMany({
    where: { organizationId: { in: organizationIds }, revokedAt: null },
    select: { id: true, name: true, organizationId: true },
  })
  return (organizationId: string) =>
    runners.filter((r) => r.organizationId === organizationId).map((r) => ({ id: r.id, name: r.name }))
}

/** The closest other accepted run of the product: the evidence a reviewed badge rests on, shown before approving. */
function reproductionOf(s: BadgeSummary, others: { id: string; payload: unknown }[]): RunComparison | null {
  const worst = (c: RunComparison) => Math.max(Math.abs(c.ppDelta), Math.abs(c.tgDelta))
  let best: RunComparison | null = null
  for (const r of others) {
    const c = compareRun(s, r)
    if (c && (!best || worst(c) < worst(best))) best = c
  }
  return best
}

/**
 * A certification engineer queues a reproduction run of a badge's product, on a chosen runner of the partner or any.
 */
export async function queueReproduction(actor: Actor, badgeId: string, runnerId: string | undefined) {
  const { db } = allPartnersScope(actor, 'certification.view')
  const badge = await db.certBadge.findUnique({ where: { id: badgeId } })
  if (!badge) throw new AppError('not_found', 'No such badge.')
  return queueRunForRequest(actor, badge.requestId, runnerId)
}

/** A certification engineer queues a run of any partner's open request (one without a badge in force yet). */
export async function queueRunForRequest(actor: Actor, requestId: string, runnerId: string | undefined) {
  const { db } = allPartnersScope(actor, 'certification.view')
  const request = await db.certRequest.findUnique({ where: { id: requestId } })
  if (!request) throw new AppError('not_found', 'No such certification request.')
  return queueCertJob(await tenantScope(actor, { id: request.organizationId }, 'certification.view'), request.id, {
    runnerId,
  })
}

/** Requests of every partner that hold no badge in force and are not withdrawn: where an engineer may queue a run. */
export async function openRequests(actor: Actor) {
  const { db } = allPartnersScope(actor, 'certification.view')
  const requests = await db.certRequest.findMany({
    where: { withdrawnAt: null },
    orderBy: { createdAt: 'desc' },
    take: 200,
  })
  const [badges, jobs, orgs, runners] = await Promise.all([
    db.certBadge.findMany({
      where: { requestId: { in: requests.map((r) => r.id) }, revokedAt: null },
      select: { requestId: true },
    }),
    db.certJob.findMany({
      where: { requestId: { in: requests.map((r) => r.id) } },
      select: { requestId: true, status: true, progress: true },
      orderBy: { createdAt: 'desc' },
    }),
    db.organization.findMany({
      where: { id: { in: requests.map((r) => r.organizationId) } },
      select: { id: true, name: true },
    }),
    activeRunnersOf(
      db,
      requests.map((r) => r.organizationId),
    ),
  ])
  return requests
    .filter((r) => !badges.some((b) => b.requestId === r.id))
    .map((r) => {
      const latest = jobs.find((j) => j.requestId === r.id)
      return {
        id: r.id,
        partner: orgs.find((o) => o.id === r.organizationId)?.name ?? '',
        product: `${r.productName} (${r.sku})`,
        latest: latest ? `${latest.status}${latest.progress ? `: ${latest.progress}` : ''}` : 'no run yet',
        runners: runners(r.organizationId),
      }
    })
}

/**
 * A certification engineer approves a badge as "reviewed": only when a second accepted run of the
 * same product reproduces both numbers within 5%. Or rejects it (revoked, with the reason kept).
 */
export async function reviewBadge(actor: Actor, badgeId: string, decision: 'approve' | 'reject', comment: string) {
  const { db } = allPartnersScope(actor, 'certification.view')
  const badge = await db.certBadge.findUnique({ where: { id: badgeId } })
  if (!badge) throw new AppError('not_found', 'No such badge.')
  const scope = await tenantScope(actor, { id: badge.organizationId }, 'certification.view')
  if (decision === 'approve') {
    if (!reproductionOf(badge.summary as unknown as BadgeSummary, await otherAcceptedRuns(scope.db, badge))?.within)
      throw new AppError(
        'conflict',
        'A reviewed badge needs a second accepted run (another unit or run) within 5% of these numbers; queue ' +
          'one first.',
      )
  }
  await scope.db.$transaction(async (tx) => {
    await tx.certBadge.update({
      where: { id: badgeId },
      data: decision === 'approve' ? { assurance: 'reviewed', reviewedById: actor.userId } : { revokedAt: now() },
    })
    await recordAuditEvent(tx, {
      actor: { userId: actor.userId, email: actor.email },
      organizationId: badge.organizationId,
      action: `cert_badge.${decision}`,
      targetType: 'cert_badge',
      targetId: badgeId,
      changes: { comment },
    })
  })
}
