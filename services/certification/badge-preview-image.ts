import { createHash } from 'node:crypto'
import { socialCardPng } from '../credentials/social-card.ts'
import { publicBadge } from './badges.ts'

/**
 * The picture a shared badge link previews with (Open Graph, 1200×630 PNG): the verdict line's parts, drawn
 * from the badge's standing now, so a revoked badge never previews as certified.
 */
export async function badgePreviewImage(badgeId: string): Promise<{ png: Buffer; etag: string }> {
  const b = await publicBadge(badgeId)
  const png = await socialCardPng({
    kind: 'Powered by GGML',
    title: b.product,
    subtitle: b.verdict.measured,
    facts: [`On ${b.verdict.machine}`, `${b.assuranceLabel} · ${b.partner}`],
    verdict: b.verdict.tone === 'valid' ? `Verified · ${b.assuranceLabel}` : b.verdict.status,
    tone: b.verdict.tone,
    seal: false,
  })
  return { png, etag: `"${createHash('sha256').update(png).digest('base64url').slice(0, 27)}"` }
}
