import { z } from 'zod'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { nowMs } from '../platform/clock.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { describeCertificate } from './parse-idp-metadata.ts'
import { acsUrl, spEntityId } from './saml-client.ts'
import { verificationRecord } from './organization-domains.ts'
import { readGroupRoles } from './map-groups.ts'

// What consume-saml-response audits of a refused sign-in (AuditEvent.changes); the reason is text.
const refusalOf = (changes: unknown) => z.looseObject({ reason: z.string().optional() }).catch({}).parse(changes)

/** Certificates expiring within this many days are flagged, so the admin adds the next one in time. */

export const CERTIFICATE_WARNING_DAYS = 30

/**
 * An organization's sign-in settings: its SAML connections (with what its admin gives the IdP and what
 * needs attention), its email domains, whether it requires two-factor, and recent SSO sign-ins.
 */
export async function listSamlConnections(scope: TenantScope) {
  assertCan(scope, 'sso.configure')
  const rows = await scope.db.samlConnection.findMany({ orderBy: { createdAt: 'asc' } })
  const recent = await scope.db.auditEvent.findMany({
    where: { organizationId: scope.organization.id, action: { in: ['user.sso_sign_in', 'sso.refused'] } },
    orderBy: { seq: 'desc' },
    take: 20,
    select: { action: true, occurredAt: true, actorEmail: true, changes: true },
  })
  const domains = await scope.db.organizationDomain.findMany({ orderBy: { domain: 'asc' } })
  const org = await unscopedDb('in scope').organization.findUniqueOrThrow({
    where: { id: scope.organization.id },
    select: { requireTwoFactor: true },
  })
  return {
    requireTwoFactor: org.requireTwoFactor,
    domains: domains.map((d) => ({
      domain: d.domain,
      verified: Boolean(d.verifiedAt),
      requireSso: d.requireSso,
      record: verificationRecord(scope.organization.id, d.domain),
    })),
    connections: rows.map((c) => ({
      id: c.id,
      name: c.name,
      enabled: c.enabled,
      idpEntityId: c.idpEntityId,
      idpSsoUrl: c.idpSsoUrl,
      allowIdpInitiated: c.allowIdpInitiated,
      defaultRole: c.defaultRole,
      groupRoles: Object.entries(readGroupRoles(c.groupRoles))
        .map(([g, r]) => `${g} = ${r}`)
        .join('\n'),
      sp: { entityId: spEntityId(c.id), acsUrl: acsUrl(c.id), metadataUrl: `${spEntityId(c.id)}/metadata.xml` },
      certificates: c.idpCertificates.map((pem) => {
        const d = describeCertificate(pem)
        const days = Math.floor((Date.parse(d.notAfter) - nowMs()) / 86_400_000)
        return {
          subject: d.subject,
          sha256: d.sha256,
          notAfter: d.notAfter.slice(0, 10),
          warning:
            days < 0
              ? 'expired: sign-ins signed with it are refused'
              : days <= CERTIFICATE_WARNING_DAYS
                ? `expires in ${days} days: add the IdP's next certificate now`
                : null,
        }
      }),
    })),
    recent: recent.map((e) => ({
      at: e.occurredAt.toISOString().slice(0, 16).replace('T', ' '),
      outcome: e.action === 'sso.refused' ? `refused: ${refusalOf(e.changes).reason}` : 'signed in',
      who: e.actorEmail ?? '',
    })),
  }
}
