import type { Tx } from '../platform/db/client.ts'
import { newId } from '../platform/db/ids.ts'
import { earnsBadge } from './known-models.ts'
import { recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { appendToPublicLog, payloadSha256 } from './public-log.ts'
import { recordWebhookEvent } from '../webhooks/record-webhook-event.ts'
import { readPayload } from './stored-certification.ts'

/** What a partner does about each refusal, in words. */
export function adviceFor(check: string): string {
  if (check.startsWith('spread')) return 'Close other workloads on the machine, keep it cool, and run again.'
  return (
    {
      signature: 'The result is not signed by the registered runner key: register the runner again.',
      job: 'Run a fresh job from the certification page.',
      nonce: 'Run a fresh job: each result answers one job once.',
      lease: 'Keep the runner connected while it works (it renews its lease), and run again.',
      model: 'Delete the runner’s model cache so it synthesizes the model again, and run again.',
      'model shape': 'Run the unmodified runner: it synthesizes exactly the model the job names.',
      measurements: 'Run every repetition of both tests; do not stop the runner early.',
      'bandwidth bound': 'The numbers exceed what the hardware can do; rerun with the unmodified runner.',
      configuration: 'Run the unmodified runner: it runs with the configuration the job specifies.',
      'compute bound': 'The numbers exceed what the hardware can do; rerun with the unmodified runner.',
      device: 'Ask certification to add the device to the catalogue with its published figures; then run again.',
      correctness:
        'The backend computed other logits than the CPU reference: update the driver or build, and run again.',
      hardware: 'Run the job on the machine the runner was registered on, or register a runner on this machine.',
      'timed challenge':
        'During the timed challenge the machine did not keep the speeds its own llama-bench run reported (other ' +
        'work on the machine, thermal throttling or a power-saving profile can cause this; the runner already ' +
        'tried three times). Close other workloads, keep the machine on its performance profile and queue another ' +
        'run; the figures are in the check.',
      'challenge answer': 'Run the unmodified runner: the challenge’s answer must be what the model computes.',
    }[check] ?? 'Run again from the certification page.'
  )
}

export const HELD =
  'result accepted and held for review: a ggml certification engineer looks at what is flagged, and the badge is ' +
  'public once another machine reproduces it within 5% or ggml’s lab measures it'

export const PIPELINE_PASSED =
  'pipeline check passed: every check held, but the CI-class model proves the pipeline, not the hardware, ' +
  'and earns no badge. Request the 1B- or 7B-class suite (or your own model) for a badge.'

/**
 * A result's outcome, once every check is in (at upload, or when the worker has recomputed the
 * proof of execution): an accepted result completes its job and, for a product without a badge in
 * force, issues one; a refused one ends its job saying what failed and what to do. Either way the
 * submission goes into the public log and the audit log.
 */
export async function settleResult(
  tx: Tx,
  input: {
    job: {
      id: string
      organizationId: string
      requestId: string
      nPrompt: number
      nGen: number
      modelShape: string
      modelType: string
    }
    resultId: string
    runnerId: string
    payload: unknown
    checks: { check: string; ok: boolean; detail: string; review?: boolean }[]
  },
): Promise<{ badgeId: string | null }> {
  const { job, resultId, checks } = input
  const accepted = checks.every((c) => c.ok)
  const r = readPayload(input.payload)
  const pp = r.records?.find((x) => x.n_prompt === job.nPrompt && x.n_gen === 0)
  const tg = r.records?.find((x) => x.n_prompt === 0 && x.n_gen === job.nGen)
  let badgeId: string | null = null
  if (accepted) {
    const badgeable = earnsBadge(job.modelShape)
    const moved = await tx.certJob.updateMany({
      where: { id: job.id, status: { not: 'completed' } },
      data: {
        status: 'completed',
        progress: !badgeable
          ? PIPELINE_PASSED
          : checks.some((c) => c.review)
            ? `${HELD}: ${checks
                .filter((c) => c.review)
                .map((c) => c.check)
                .join(', ')}`
            : 'result accepted',
      },
    })
    // A CI-class model earns no badge; a further run of a product that holds a badge (a second
    // unit, a reproduction) is kept as evidence for review, not a second badge for the product.
    if (
      moved.count === 1 &&
      badgeable &&
      (await tx.certBadge.count({ where: { requestId: job.requestId, revokedAt: null } })) === 0
    ) {
      badgeId = newId()
      // Anything flagged for review holds the badge (not public); ggml's own runner makes it lab-verified.
      const lab = (await tx.certRunner.findUnique({ where: { id: input.runnerId }, select: { lab: true } }))?.lab
      await tx.certBadge.create({
        data: {
          id: badgeId,
          organizationId: job.organizationId,
          requestId: job.requestId,
          resultId,
          assurance: checks.some((c) => c.review) ? 'held' : lab ? 'lab-verified' : 'runner-verified',
          summary: {
            shape: job.modelShape,
            type: job.modelType,
            pp: { n: job.nPrompt, ts: pp!.avg_ts, sd: pp!.stddev_ts },
            tg: { n: job.nGen, ts: tg!.avg_ts, sd: tg!.stddev_ts },
            cpu: r.hardware?.cpu?.model ?? '',
            backends: r.hardware?.backends ?? [],
          },
        },
      })
      await recordWebhookEvent(tx, job.organizationId, 'badge.issued', { badgeId, requestId: job.requestId })
    }
  } else {
    // The job ends here, saying what failed and what to do; "Run again" queues a fresh one.
    const failed = checks.filter((c) => !c.ok)
    const stopped = await tx.certJob.updateMany({
      where: { id: job.id, status: { in: ['running', 'verifying'] } },
      data: {
        status: 'failed',
        progress:
          `result rejected: ${failed.map((c) => c.check).join(', ')}. ` +
          [...new Set(failed.map((c) => adviceFor(c.check)))].join(' '),
      },
    })
    if (stopped.count === 1)
      await recordWebhookEvent(tx, job.organizationId, 'certification.job.failed', {
        jobId: job.id,
        requestId: job.requestId,
        resultId,
        failedChecks: failed.map((c) => c.check).join(','),
      })
  }
  const [org, request] = await Promise.all([
    tx.organization.findUniqueOrThrow({ where: { id: job.organizationId } }),
    tx.certRequest.findUniqueOrThrow({ where: { id: job.requestId } }),
  ])
  await appendToPublicLog(tx, {
    partner: org.name,
    product: `${request.productName} (${request.sku})`,
    jobId: job.id,
    resultId,
    accepted,
    failedChecks: checks.filter((c) => !c.ok).map((c) => c.check),
    payloadSha256: payloadSha256(input.payload),
  })
  await recordAuditEvent(tx, {
    actor: null,
    organizationId: job.organizationId,
    action: accepted ? 'cert_result.accept' : 'cert_result.reject',
    targetType: 'cert_result',
    targetId: resultId,
    changes: { jobId: job.id, runnerId: input.runnerId, failed: checks.filter((c) => !c.ok).map((c) => c.check) },
  })
  return { badgeId }
}
