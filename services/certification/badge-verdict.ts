import { longDate, standingVerdict } from '../credentials/credential-verdict.ts'
import type { CredentialTone } from '../credentials/social-card.ts'
import type { BadgeSummary, Standing } from './badges.ts'
import { modelName } from './known-models.ts'

/**
 * A badge's verdict in one line, before any evidence (issue 28): whether it stands, what was measured, on
 * what hardware, at which assurance level. The page opens with it and the preview image carries it.
 */
export function badgeVerdict(
  b: {
    standing: Standing
    revokedAt: Date | string | null
    validUntil: Date | string
    product: string
    summary: BadgeSummary
    assuranceLabel: string
  },
  checkedAt: Date,
): { tone: CredentialTone; status: string; line: string; measured: string; machine: string; hardware: string } {
  const standing = b.standing === 'in force' ? 'valid' : b.standing
  const { tone, words } = standingVerdict({ standing, revokedAt: b.revokedAt, expiresAt: b.validUntil, checkedAt })
  const s = b.summary
  const measured =
    `${modelName(s)} generates ${s.tg.ts.toFixed(1)} tokens/s ` + `(prompt processing ${Math.round(s.pp.ts)} tokens/s)`
  const backends = (s.backends ?? []).filter((x) => x !== 'CPU')
  const machine = `${s.cpu}${backends.length ? `, ${backends.join(', ')}` : ''}`
  const hardware = `${b.product} (${machine})`
  const status = tone === 'valid' ? 'Verified' : words
  const tail = tone === 'valid' ? ` · valid until ${longDate(b.validUntil)}` : ' · no longer certified'
  return {
    tone,
    status,
    measured,
    machine,
    hardware,
    line: `${status}: ${measured} on ${hardware} · ${b.assuranceLabel}${tail}`,
  }
}
