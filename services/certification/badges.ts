import { verifyPayload } from '../../certification-lab/signing.ts'
import type { Db, Tx } from '../platform/db/client.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { earnsBadge, modelName } from './known-models.ts'
import { now, nowMs } from '../platform/clock.ts'
import { appUrl } from '../platform/config/env.ts'
import { keyId } from '../credentials/issuer-key.ts'
import { badgeFacts } from './badge-facts.ts'
import { badgeVerdict } from './badge-verdict.ts'
import {
  readBadgeSummary,
  readChecks,
  readDeclaredModel,
  readPayload,
  type BadgeSummary,
} from './stored-certification.ts'

export type { BadgeSummary } from './stored-certification.ts'

/** "7B-class Q4_0 · tg 41.8 t/s · pp 612 t/s"; a partner's own model by the name it was requested under. */
export function badgeLabel(s: BadgeSummary): string {
  return `${modelName(s)} · tg ${s.tg.ts.toFixed(1)} t/s · pp ${Math.round(s.pp.ts)} t/s`
}

/** Within this of both badge numbers, a second run reproduces the badge (what "reviewed" rests on). */
export const REPRODUCTION_TOLERANCE = 0.05

export interface RunComparison {
  resultId: string
  pp: number
  tg: number
  ppDelta: number
  tgDelta: number
  within: boolean
}

/** Another accepted run of the product against the badge's numbers; null when it lacks the badge's tests. */
export function compareRun(s: BadgeSummary, run: { id: string; payload: unknown }): RunComparison | null {
  const recs = readPayload(run.payload).records ?? []
  const pp = recs.find((x) => x.n_prompt === s.pp.n && x.n_gen === 0)
  const tg = recs.find((x) => x.n_prompt === 0 && x.n_gen === s.tg.n)
  if (!pp || !tg) return null
  const ppDelta = (pp.avg_ts - s.pp.ts) / s.pp.ts
  const tgDelta = (tg.avg_ts - s.tg.ts) / s.tg.ts
  return {
    resultId: run.id,
    pp: pp.avg_ts,
    tg: tg.avg_ts,
    ppDelta,
    tgDelta,
    within: Math.abs(ppDelta) <= REPRODUCTION_TOLERANCE && Math.abs(tgDelta) <= REPRODUCTION_TOLERANCE,
  }
}

/** Every other accepted run of a badge's product, oldest first: the runs that may reproduce it. */
export async function otherAcceptedRuns(
  reader: Pick<Tx, 'certJob' | 'certResult'>,
  badge: { requestId: string; resultId: string },
) {
  const jobs = await reader.certJob.findMany({ where: { requestId: badge.requestId }, select: { id: true } })
  return reader.certResult.findMany({
    where: { jobId: { in: jobs.map((j) => j.id) }, accepted: true, id: { not: badge.resultId } },
    orderBy: { createdAt: 'asc' },
  })
}

const canonical = (v: unknown): string =>
  Array.isArray(v)
    ? `[${v.map(canonical).join(',')}]`
    : v && typeof v === 'object'
      ? `{${Object.entries(v)
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`)
          .join(',')}}`
      : JSON.stringify(v)

/**
 * The runs that can reproduce a badge's numbers: from another runner on another machine (its
 * registered hardware fingerprint differs). The same runner, or a second runner on the same machine,
 * measures the same unit again and never counts (issue 10).
 */
export async function independentRuns<T extends { runnerId: string }>(
  reader: Pick<Db, 'certRunner' | 'certResult'>,
  badge: { resultId: string },
  runs: T[],
): Promise<T[]> {
  const own = await reader.certResult.findUniqueOrThrow({ where: { id: badge.resultId }, select: { runnerId: true } })
  const runners = await reader.certRunner.findMany({
    where: { id: { in: [own.runnerId, ...runs.map((r) => r.runnerId)] } },
    select: { id: true, fingerprint: true },
  })
  const machine = (id: string) => canonical(runners.find((r) => r.id === id)?.fingerprint ?? null)
  return runs.filter((r) => r.runnerId !== own.runnerId && machine(r.runnerId) !== machine(own.runnerId))
}

/** A badge certifies a measurement for a year; after that the hardware must be measured again. */
export const BADGE_VALIDITY_MS = 365 * 86_400_000
export type Standing = 'in force' | 'expired' | 'revoked'

export function badgeStanding(b: { issuedAt: Date; revokedAt: Date | null }): { standing: Standing; validUntil: Date } {
  const validUntil = new Date(b.issuedAt.getTime() + BADGE_VALIDITY_MS)
  return { standing: b.revokedAt ? 'revoked' : now() >= validUntil ? 'expired' : 'in force', validUntil }
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/**
 * A badge's assurance level in plain words (issue 10): what was checked, by whom. Stored values stay
 * as they were ('runner-verified', 'reviewed'); people read these.
 */
export const ASSURANCE: Record<string, { label: string; meaning: string }> = {
  held: {
    label: 'Held for review',
    meaning:
      'every check passed, but something about the run needs a ggml certification engineer (listed with the ' +
      'checks); not public until another machine reproduces it within 5% or ggml’s lab measures it',
  },
  'runner-verified': {
    label: 'Self-measured',
    meaning:
      'measured by the partner’s own runner on its own hardware; the checks the platform ran are listed with ' +
      'their figures',
  },
  reviewed: {
    label: 'Reproduced',
    meaning:
      'a second run on another unit, by a different runner on a different machine, agrees within 5%, and a ggml ' +
      'certification engineer reviewed it',
  },
  'lab-verified': {
    label: 'Lab-verified',
    meaning:
      'ggml’s own runner measured a unit in ggml’s lab and reproduced these numbers within 5%, and a ggml ' +
      'certification engineer reviewed it',
  },
}
/** Most trusted first: the directory's order, and what a reader should weigh most. */
export const TRUST_ORDER = ['lab-verified', 'reviewed', 'runner-verified'] as const
/** A held badge is the partner's and ggml's to see; no public page, SVG, credential or directory row. */
export const isPublicBadge = (b: { assurance: string }) => b.assurance !== 'held'
export const assuranceOf = (a: string) => ASSURANCE[a] ?? { label: a, meaning: a }

/** A shields.io-style badge with the measured numbers. Width from a per-character estimate, as shields does. */
export function badgeSvg(s: BadgeSummary, standing: Standing = 'in force', assurance = 'runner-verified'): string {
  const left = 'Powered by GGML'
  const revoked = standing !== 'in force'
  // The level is in the picture itself, not only in its title: a self-measured badge says so.
  const right = revoked ? standing : `${badgeLabel(s)} · ${assuranceOf(assurance).label.toLowerCase()}`
  // The title (what screen readers and hovering say) names the assurance level too.
  const title = `${left}: ${revoked ? standing : badgeLabel(s)} (${assuranceOf(assurance).label})`
  const w = (t: string) => Math.round(t.length * 6.6 + 12)
  const lw = w(left)
  const rw = w(right)
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${lw + rw}" height="20" role="img" ` +
    `aria-label="${esc(title)}"><title>${esc(title)}</title><linearGradient ` +
    `id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" ` +
    `stop-opacity=".1"/></linearGradient><clipPath id="r"><rect width="${lw + rw}" height="20" rx="3" ` +
    `fill="#fff"/></clipPath><g clip-path="url(#r)"><rect width="${lw}" height="20" fill="#26215c"/><rect ` +
    `x="${lw}" width="${rw}" height="20" fill="${revoked ? '#9f9f9f' : '#0b5cad'}"/>` +
    `<rect width="${lw + rw}" height="20" fill="url(#s)"/></g>` +
    `<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">` +
    `<text x="${lw / 2}" y="14">${esc(left)}</text><text x="${lw + rw / 2}" y="14">${esc(right)}</text></g></svg>`
  )
}

/** Everything the public verification page shows; no partner-private data beyond what the badge certifies. */
export async function publicBadge(badgeId: string) {
  const badge = await unscopedDb('public page').certBadge.findUnique({ where: { id: badgeId } })
  if (!badge || !isPublicBadge(badge)) throw new AppError('not_found', 'No such badge.')
  const [result, request, org] = await Promise.all([
    unscopedDb('public page').certResult.findUniqueOrThrow({ where: { id: badge.resultId } }),
    unscopedDb('public page').certRequest.findUniqueOrThrow({ where: { id: badge.requestId } }),
    unscopedDb('public page').organization.findUniqueOrThrow({
      where: { id: badge.organizationId },
      select: { name: true },
    }),
  ])
  const runner = (await unscopedDb('public page').certRunner.findUnique({
    where: { id: result.runnerId },
    select: { publicKey: true, name: true },
  })) ?? { publicKey: '', name: 'unknown runner' }
  const files = await unscopedDb('public page').certRequestFile.findMany({
    where: { requestId: badge.requestId },
    select: { kind: true, name: true, sha256: true },
  })
  const others = await otherAcceptedRuns(unscopedDb('public page'), badge)
  const summary = readBadgeSummary(badge.summary)
  const job = await unscopedDb('public page').certJob.findUnique({
    where: { id: result.jobId },
    select: { declaredModel: true },
  })
  const page = `${appUrl()}/badges/${badge.id}`
  const alt = `Powered by GGML: ${badgeLabel(summary)} (${assuranceOf(badge.assurance).label})`
  const { standing, validUntil } = badgeStanding(badge)
  return {
    id: badge.id,
    partner: org.name,
    product: request.productName,
    sku: request.sku,
    assurance: badge.assurance,
    assuranceLabel: assuranceOf(badge.assurance).label,
    assuranceMeaning: assuranceOf(badge.assurance).meaning,
    issuedAt: badge.issuedAt.toISOString(),
    revokedAt: badge.revokedAt?.toISOString() ?? null,
    standing,
    validUntil: validUntil.toISOString(),
    /** The verdict in one line, as of this request: the page opens with it, the preview image carries it. */
    verdict: badgeVerdict(
      {
        standing,
        validUntil,
        revokedAt: badge.revokedAt,
        product: request.productName,
        summary,
        assuranceLabel: assuranceOf(badge.assurance).label,
      },
      now(),
    ),
    url: page,
    // The standing is in the address so a site that caches previews by URL fetches a new one once it changes.
    imageUrl: `${page}/preview.png?standing=${encodeURIComponent(standing)}`,
    summary,
    label: badgeLabel(summary),
    // Every other accepted run of the product, against these numbers: the evidence behind "reviewed".
    files,
    furtherRuns: others.map((r) => ({ at: r.createdAt.toISOString(), comparison: compareRun(summary, r) })),
    result: result.payload,
    signature: result.signature,
    runnerPublicKey: runner.publicKey,
    checks: readChecks(result.checks),
    signatureValid: Boolean(runner.publicKey) && verifyPayload(result.payload, result.signature, runner.publicKey),
    facts: badgeFacts(result.payload, readDeclaredModel(job?.declaredModel)),
    issuer: { url: appUrl(), keyId: keyId() },
    // What a partner pastes into a README or a product page: the live SVG, linking here.
    embed: {
      markdown: `[![${alt}](${page}/badge.svg)](${page})`,
      html: `<a href="${page}"><img src="${page}/badge.svg" alt="${alt.replaceAll('"', '&quot;')}"></a>`,
    },
  }
}

/**
 * The public directory: every badge in force (neither revoked nor expired), sortable, with the numbers side by side.
 */
export interface DirectoryFilter {
  /** Words found in the partner, product, SKU or CPU. */
  q?: string
  backend?: string
  model?: string
}

/** Badges in force, searchable by partner or product and filterable by backend and model, with the choices. */
export async function certifiedDirectory(sort: 'tg' | 'pp' | 'recent' = 'tg', filter: DirectoryFilter = {}) {
  // CI-class results earn no badge; one issued before that rule stays off the directory too.
  const badges = (
    await unscopedDb('public page').certBadge.findMany({
      where: { revokedAt: null, issuedAt: { gt: new Date(nowMs() - BADGE_VALIDITY_MS) } },
    })
  )
    .filter(isPublicBadge)
    .map((b) => ({ ...b, summary: readBadgeSummary(b.summary) }))
    .filter((b) => earnsBadge(b.summary.shape))
  const requests = await unscopedDb('public page').certRequest.findMany({
    where: { id: { in: badges.map((b) => b.requestId) } },
  })
  const orgs = await unscopedDb('public page').organization.findMany({
    where: { id: { in: badges.map((b) => b.organizationId) } },
    select: { id: true, name: true },
  })
  const rows = badges.map((b) => {
    const s = b.summary
    const q = requests.find((r) => r.id === b.requestId)!
    return {
      id: b.id,
      partner: orgs.find((o) => o.id === b.organizationId)?.name ?? '',
      product: q.productName,
      sku: q.sku,
      model: modelName(s),
      pp: s.pp.ts,
      tg: s.tg.ts,
      cpu: s.cpu,
      backends: s.backends ?? [],
      assurance: assuranceOf(b.assurance).label,
      trust: TRUST_ORDER.findIndex((t) => t === b.assurance),
      issuedAt: b.issuedAt.toISOString(),
    }
  })
  const words = (filter.q ?? '').toLowerCase().split(/\s+/).filter(Boolean)
  const shown = rows.filter(
    (r) =>
      words.every((w) => `${r.partner} ${r.product} ${r.sku} ${r.model} ${r.cpu}`.toLowerCase().includes(w)) &&
      (!filter.backend || r.backends.includes(filter.backend)) &&
      (!filter.model || r.model === filter.model),
  )
  return {
    // Trust first: lab-verified, then reproduced, then self-measured; the chosen order within each.
    rows: shown.sort(
      (a, b) => a.trust - b.trust || (sort === 'recent' ? b.issuedAt.localeCompare(a.issuedAt) : b[sort] - a[sort]),
    ),
    total: rows.length,
    backends: [...new Set(rows.flatMap((r) => r.backends))].sort(),
    models: [...new Set(rows.map((r) => r.model))].sort(),
  }
}
