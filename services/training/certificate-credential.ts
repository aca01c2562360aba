import { appUrl } from '../platform/config/env.ts'
import { standingVerdict } from '../credentials/credential-verdict.ts'
import { signPlatformCredential, statusEntry } from '../credentials/issuer-key.ts'
import { sealRimPath } from '../credentials/brand-marks.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { now } from '../platform/clock.ts'

async function load(certificateId: string) {
  const c = await unscopedDb('public page').certificate.findUnique({
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
  const standing = standingOf(c)
  const verdict = standingVerdict({ standing, revokedAt: c.revokedAt, expiresAt: c.expiresAt, checkedAt: now() })
  return {
    id: c.id,
    holderName: c.holderName,
    exam: c.exam,
    issuedAt: c.issuedAt.toISOString(),
    expiresAt: c.expiresAt.toISOString(),
    standing,
    revokedAt: c.revokedAt?.toISOString() ?? null,
    revokedReason: c.revokedAt ? c.revokedReason : null,
    /** The standing in words, as of this request: what the page, the PDF and the preview image all say. */
    verdict: verdict.words,
    url,
    pdfUrl: `${url}/certificate.pdf`,
    // The standing is in the image's address, so a site that caches previews by URL fetches a new one once
    // the certificate is revoked or expires; the image itself is always drawn from the current standing.
    imageUrl: `${url}/preview.png?standing=${standing}`,
    /** The seal's rim on a 100-unit square, drawn by the page as the PDF and preview image draw it. */
    sealRim: sealRimPath(50, 50, 48),
    credentialUrl: `${url}/credential.json`,
    statusListUrl: `${base}/badges/status-list`,
    keyUrl: `${base}/.well-known/ggml-badge-key.json`,
    // Offered only while the certificate stands: nobody adds a revoked or expired one to a profile from here.
    linkedIn: standing === 'valid' ? linkedIn.toString() : null,
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
