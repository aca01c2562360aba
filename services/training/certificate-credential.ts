import { appUrl } from '../config/env.ts'
import { signPlatformCredential, statusEntry } from '../credentials/issuer-key.ts'
import { db } from '../db/client.ts'
import { AppError } from '../errors/app-error.ts'
import { now } from '../platform/clock.ts'

async function load(certificateId: string) {
  const c = await db().certificate.findUnique({
    where: { id: certificateId },
    include: { exam: { select: { slug: true, title: true, summary: true, passPercent: true } } },
  })
  if (!c) throw new AppError('not_found', 'No such certificate.')
  return c
}

const standingOf = (c: { revokedAt: Date | null; expiresAt: Date }) =>
  c.revokedAt ? ('revoked' as const) : c.expiresAt <= now() ? ('expired' as const) : ('valid' as const)

/** The public verification page's facts: who holds what, since when, until when, and whether it stands. */
export async function publicCertificate(certificateId: string) {
  const c = await load(certificateId)
  const base = appUrl()
  const url = `${base}/certificates/${c.id}`
  const linkedIn = new URL('https://www.linkedin.com/profile/add')
  linkedIn.search = new URLSearchParams({
    startTask: 'CERTIFICATION_NAME',
    name: c.exam.title,
    organizationName: 'ggml.ai',
    issueYear: String(c.issuedAt.getUTCFullYear()),
    issueMonth: String(c.issuedAt.getUTCMonth() + 1),
    expirationYear: String(c.expiresAt.getUTCFullYear()),
    expirationMonth: String(c.expiresAt.getUTCMonth() + 1),
    certUrl: url,
    certId: c.id,
  }).toString()
  return {
    id: c.id,
    holderName: c.holderName,
    exam: c.exam,
    issuedAt: c.issuedAt.toISOString(),
    expiresAt: c.expiresAt.toISOString(),
    standing: standingOf(c),
    revokedReason: c.revokedAt ? c.revokedReason : null,
    url,
    credentialUrl: `${url}/credential.json`,
    statusListUrl: `${base}/badges/status-list`,
    keyUrl: `${base}/.well-known/ggml-badge-key.json`,
    linkedIn: linkedIn.toString(),
  }
}

/** The certificate as an Open Badges 3.0 credential, signed by the platform's one issuer key. */
export async function certificateCredential(certificateId: string) {
  const c = await load(certificateId)
  const base = appUrl()
  return signPlatformCredential(
    {
      '@context': [
        'https://www.w3.org/ns/credentials/v2',
        'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
      ],
      id: `${base}/certificates/${c.id}/credential.json`,
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      issuer: { id: base, type: ['Profile'], name: 'ggml.ai' },
      name: c.exam.title,
      validFrom: c.issuedAt.toISOString(),
      validUntil: c.expiresAt.toISOString(),
      credentialSubject: {
        type: ['AchievementSubject'],
        name: c.holderName,
        achievement: {
          id: `${base}/learn/exams/${c.exam.slug}`,
          type: ['Achievement'],
          achievementType: 'Certification',
          name: c.exam.title,
          description: c.exam.summary,
          criteria: {
            narrative:
              `Passed the ${c.exam.title} exam (pass mark ${c.exam.passPercent}%), drawn from a reviewed item ` +
              `bank. Verify at ${base}/certificates/${c.id}`,
          },
        },
      },
      credentialStatus: statusEntry(c.statusIndex),
    },
    c.issuedAt,
  )
}
