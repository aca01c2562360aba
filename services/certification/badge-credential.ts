import { appUrl } from '../platform/config/env.ts'
import { signPlatformCredential, statusEntry } from '../credentials/issuer-key.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { assuranceOf, badgeLabel, badgeStanding, isPublicBadge } from './badges.ts'
import { readBadgeSummary } from './stored-certification.ts'

/** The badge as an Open Badges 3.0 credential with an eddsa-jcs-2022 proof and a revocation status entry. */
export async function badgeCredential(badgeId: string) {
  const b = await unscopedDb('public page').certBadge.findUnique({ where: { id: badgeId } })
  if (!b || !isPublicBadge(b)) throw new AppError('not_found', 'No such badge.')
  const request = await unscopedDb('public page').certRequest.findUniqueOrThrow({ where: { id: b.requestId } })
  const s = readBadgeSummary(b.summary)
  const base = appUrl()
  const credential = {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
    id: `${base}/badges/${b.id}/credential.json`,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: { id: base, type: ['Profile'], name: 'ggml.ai' },
    name: 'Powered by GGML',
    validFrom: b.issuedAt.toISOString(),
    validUntil: badgeStanding(b).validUntil.toISOString(),
    credentialSubject: {
      type: ['AchievementSubject'],
      name: `${request.productName} (${request.sku})`,
      achievement: {
        id: `${base}/badges/achievement/powered-by-ggml`,
        type: ['Achievement'],
        name: 'Powered by GGML',
        description: badgeLabel(s),
        criteria: {
          narrative:
            `Measured with the real llama.cpp (llama-bench methodology). ${assuranceOf(b.assurance).label}: ` +
            `${assuranceOf(b.assurance).meaning}. Details: ${base}/badges/${b.id}`,
        },
      },
      result: [
        { type: ['Result'], name: `pp${s.pp.n}`, value: `${s.pp.ts.toFixed(1)} tokens/s ± ${s.pp.sd.toFixed(1)}` },
        { type: ['Result'], name: `tg${s.tg.n}`, value: `${s.tg.ts.toFixed(1)} tokens/s ± ${s.tg.sd.toFixed(1)}` },
        { type: ['Result'], name: 'assurance', value: assuranceOf(b.assurance).label },
      ],
    },
    credentialStatus: statusEntry(b.statusIndex),
  }
  return signPlatformCredential(credential, b.issuedAt)
}

/** shields.io's endpoint badge JSON, so the badge renders anywhere shields does. */
export async function shieldsEndpoint(badgeId: string) {
  const b = await unscopedDb('public page').certBadge.findUnique({ where: { id: badgeId } })
  if (!b || !isPublicBadge(b)) throw new AppError('not_found', 'No such badge.')
  const { standing } = badgeStanding(b)
  return {
    schemaVersion: 1,
    label: 'Powered by GGML',
    message:
      standing === 'in force'
        ? `${badgeLabel(readBadgeSummary(b.summary))} · ${assuranceOf(b.assurance).label.toLowerCase()}`
        : standing,
    color: standing === 'in force' ? 'blue' : 'lightgrey',
    labelColor: '26215c',
  }
}
