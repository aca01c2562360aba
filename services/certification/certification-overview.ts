import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { assuranceOf } from './badges.ts'
import { runnerLabel } from './partner-runners.ts'
import { adviceFor } from './settle-result.ts'
import { PARTNER_MODEL } from './known-models.ts'
import { readChecks, readFingerprint, readBadgeSummary } from './stored-certification.ts'

/** A partner's certification workspace: runners, requests with their jobs, results and badges. */
export async function certificationOverview(scope: TenantScope) {
  assertCan(scope, 'certification.view')
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
  const checksOf = new Map(results.map((r) => [r.id, readChecks(r.checks)]))
  return {
    runners: runners.map((r) => ({
      id: r.id,
      name: r.name,
      lastSeenAt: r.lastSeenAt?.toISOString() ?? null,
      revoked: Boolean(r.revokedAt),
      lab: r.lab,
      cpu: readFingerprint(r.fingerprint).cpu?.model ?? '',
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
              // Each failed check with the measured value and the limit (its detail) and what to do.
              failed: (checksOf.get(r.id) ?? [])
                .filter((c) => !c.ok)
                .map((c) => ({ check: c.check, detail: c.detail, advice: adviceFor(c.check) })),
              at: r.createdAt.toISOString(),
            })),
        })),
      badges: badges
        .filter((b) => b.requestId === q.id)
        .map((b) => ({
          id: b.id,
          assurance: assuranceOf(b.assurance).label,
          held: b.assurance === 'held',
          // What holds it: each flag of the result it was issued for, with its figures.
          flags: (checksOf.get(b.resultId) ?? [])
            .filter((c) => c.review)
            .map((c) => ({ check: c.check, detail: c.detail })),
          summary: readBadgeSummary(b.summary),
          revoked: Boolean(b.revokedAt),
        })),
    })),
  }
}
