import { z } from 'zod'
import { auditActorOf, recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { newId } from '../platform/db/ids.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { parseGroupRoles, SSO_ROLES } from './map-groups.ts'
import { describeCertificate, parseIdpMetadata } from './parse-idp-metadata.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

export const samlConnectionSchema = z.object({
  connectionId: z.string().trim().max(64).optional(),
  name: z.string().trim().min(2, 'Name the connection, e.g. “Okta”.').max(100),
  /** The IdP's metadata XML, pasted or uploaded: entity id, sign-in URL and certificates in one go. */
  metadata: z.string().max(500_000).default(''),
  /** Or by hand: extra certificates (PEM) to trust beside the metadata's, for a rollover. */
  extraCertificates: z.string().max(50_000).default(''),
  defaultRole: z.enum(SSO_ROLES, 'Choose the role of people whose groups map to none.'),
  groupRoles: z.string().max(10_000).default(''),
  allowIdpInitiated: z.coerce.boolean().default(false),
  enabled: z.coerce.boolean().default(true),
})

/**
 * An organization's admin creates or updates a SAML connection from the IdP's metadata, with any
 * further signing certificates (several are trusted at once, for rollover) and the group-to-role map.
 * IdP-initiated sign-in stays off unless the admin turns it on.
 */
export async function saveSamlConnection(scope: TenantScope, input: z.input<typeof samlConnectionSchema>) {
  assertCan(scope, 'sso.configure')
  const f = parseInput(samlConnectionSchema, input)
  const existing = f.connectionId ? await scope.db.samlConnection.findFirst({ where: { id: f.connectionId } }) : null
  if (f.connectionId && !existing) throw new AppError('not_found', 'No such connection.')
  const fields: Record<string, string[]> = {}
  const meta = f.metadata.trim() ? parseIdpMetadata(f.metadata) : null
  if (!meta && !existing) fields.metadata = ['Paste the identity provider’s metadata XML.']
  const extra: string[] = []
  for (const block of f.extraCertificates.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ??
    []) {
    try {
      extra.push(describeCertificate(block).pem)
    } catch {
      ;(fields.extraCertificates ??= []).push('A certificate cannot be read; paste it as PEM.')
    }
  }
  const groups = parseGroupRoles(f.groupRoles)
  if (groups.errors.length) fields.groupRoles = groups.errors
  if (Object.keys(fields).length) throw new AppError('invalid_input', 'Check the connection.', fields)
  const certificates = [...new Set([...(meta?.certificates.map((c) => c.pem) ?? existing!.idpCertificates), ...extra])]
  if (certificates.length > 5)
    throw new AppError('invalid_input', 'Check the certificates.', { extraCertificates: ['Trust at most 5 at once.'] })
  const data = {
    name: f.name,
    idpEntityId: meta?.entityId ?? existing!.idpEntityId,
    idpSsoUrl: meta?.ssoUrl ?? existing!.idpSsoUrl,
    idpCertificates: certificates,
    allowIdpInitiated: f.allowIdpInitiated,
    defaultRole: f.defaultRole,
    groupRoles: groups.map,
    enabled: f.enabled,
  }
  const id = existing?.id ?? newId()
  await scope.db.$transaction(async (tx) => {
    if (existing) await tx.samlConnection.update({ where: { id }, data })
    else
      await tx.samlConnection.create({
        data: { id, organizationId: scope.organization.id, createdById: scope.actor.userId, ...data },
      })
    await recordAuditEvent(tx, {
      actor: auditActorOf(scope),
      organizationId: scope.organization.id,
      action: existing ? 'sso.connection_update' : 'sso.connection_create',
      targetType: 'saml_connection',
      targetId: id,
      changes: {
        idpEntityId: data.idpEntityId,
        certificates: certificates.map((c) => describeCertificate(c).sha256),
        allowIdpInitiated: data.allowIdpInitiated,
        defaultRole: data.defaultRole,
        groupRoles: data.groupRoles,
        enabled: data.enabled,
      },
    })
  })
  return { id }
}
