import { DOMParser } from '@xmldom/xmldom'
import { SamlStatusError } from '@node-saml/node-saml'
import { z } from 'zod'
import { recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { newId } from '../platform/db/ids.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { createSession } from '../identity/sessions.ts'
import { logger } from '../platform/observability/logger.ts'
import { metrics } from '../platform/observability/metrics.ts'
import { now, nowMs } from '../platform/clock.ts'
import { acsUrl, CLOCK_SKEW_MS, samlClient, spEntityId } from './saml-client.ts'
import { type RefusalReason, SamlRefusal } from './saml-refusal.ts'
import { screenSamlResponse } from './screen-saml-response.ts'
import { roleForGroups, readGroupRoles } from './map-groups.ts'
import { decideSsoAccount } from './decide-sso-account.ts'
import { domainVerifiedBy, emailDomain, isStaffDomain } from '../identity/identity-owner.ts'
import { keepsAnAdmin } from '../organizations/keeps-an-admin.ts'
import { safeRedirect } from '../platform/security/safe-redirect.ts'

const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion'
const GROUP_ATTRIBUTES = ['groups', 'memberOf', 'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups']
const EMAIL_ATTRIBUTES = [
  'email',
  'mail',
  'urn:oid:0.9.2342.19200300.100.1.3',
  'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
]
const NAME_ATTRIBUTES = ['displayName', 'name', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name']

/** node-saml's errors, by what they mean. */
function reasonOf(err: unknown): RefusalReason {
  if (err instanceof SamlStatusError) return 'idp_status'
  const m = err instanceof Error ? err.message : String(err)
  if (/signature/i.test(m)) return 'bad_signature'
  if (/InResponseTo is missing/i.test(m)) return 'missing_in_response_to'
  if (/InResponseTo/i.test(m)) return 'unknown_in_response_to'
  if (/expired|not yet valid|NotBefore|NotOnOrAfter|no valid subject confirmation/i.test(m)) return 'time_window'
  if (/audience/i.test(m)) return 'audience'
  if (/issuer/i.test(m)) return 'issuer'
  return 'invalid'
}

const at = (s: string | null | undefined) => (s ? Date.parse(s) : NaN)

/**
 * The longest an assertion may claim to be valid, from its IssueInstant: Okta issues 5 minutes,
 * Entra ID 70, AD FS 60. A longer one is refused, so a replay record is never kept longer than this.
 */
export const MAX_ASSERTION_LIFETIME_MS = 2 * 3600_000

export interface SamlSignIn {
  token: string
  expiresAt: Date
  userId: string
  returnTo: string
}

/**
 * The assertion consumer: screen the raw response (screen-saml-response.ts), verify it with
 * node-saml (both signatures against the connection's certificates only, audience, issuer, time,
 * InResponseTo), then check again on the verified assertion alone, with the platform's clock:
 * destination, recipient, time window, the request answered once, the assertion used once. Identity
 * comes only from the verified assertion. Every outcome is audited and counted.
 */
export async function consumeSamlResponse(
  connectionId: string,
  body: { SAMLResponse?: unknown; RelayState?: unknown },
  meta: { ip?: string; userAgent?: string } = {},
): Promise<SamlSignIn> {
  const c = await unscopedDb('provider callback').samlConnection.findUnique({ where: { id: connectionId } })
  if (!c) throw new AppError('not_found', 'No such single sign-on connection.')
  try {
    if (!c.enabled) throw new SamlRefusal('connection_disabled', 'the connection is disabled')
    if (typeof body.SAMLResponse !== 'string' || !body.SAMLResponse)
      throw new SamlRefusal('malformed', 'no SAMLResponse')
    const root = screenSamlResponse(body.SAMLResponse)
    const profile = await samlClient(c)
      .validatePostResponseAsync({ SAMLResponse: body.SAMLResponse })
      .then((r) => r.profile)
      .catch((err: unknown) => {
        throw new SamlRefusal(reasonOf(err), err instanceof Error ? err.message : 'node-saml refused it')
      })
    if (!profile?.getAssertionXml) throw new SamlRefusal('invalid', 'no assertion')
    // From here on, only the verified assertion (and the root the response signature covered).
    const assertion = new DOMParser().parseFromString(profile.getAssertionXml(), 'text/xml').documentElement!
    const one = (name: string) => Array.from(assertion.getElementsByTagNameNS(SAML, name))[0]
    if (root.getAttribute('Destination') !== acsUrl(c.id))
      throw new SamlRefusal('destination', `Destination ${root.getAttribute('Destination') || 'missing'}`)
    if (one('Issuer')?.textContent?.trim() !== c.idpEntityId)
      throw new SamlRefusal('issuer', `assertion Issuer ${one('Issuer')?.textContent ?? 'missing'}`)
    const audiences = Array.from(assertion.getElementsByTagNameNS(SAML, 'Audience')).map((a) => a.textContent?.trim())
    if (!audiences.includes(spEntityId(c.id))) throw new SamlRefusal('audience', `Audience ${audiences.join(', ')}`)
    const confirmation = one('SubjectConfirmationData')
    if (confirmation?.getAttribute('Recipient') !== acsUrl(c.id))
      throw new SamlRefusal('recipient', `Recipient ${confirmation?.getAttribute('Recipient') ?? 'missing'}`)
    const t = nowMs()
    const conditions = one('Conditions')
    const notBefore = at(conditions?.getAttribute('NotBefore'))
    const notOnOrAfter = Math.min(
      at(conditions?.getAttribute('NotOnOrAfter')),
      at(confirmation.getAttribute('NotOnOrAfter')),
    )
    if (!Number.isFinite(notOnOrAfter)) throw new SamlRefusal('time_window', 'no NotOnOrAfter')
    const issued = at(assertion.getAttribute('IssueInstant'))
    if (!Number.isFinite(issued)) throw new SamlRefusal('invalid', 'assertion without an IssueInstant')
    if (
      issued > t + CLOCK_SKEW_MS ||
      notOnOrAfter - issued > MAX_ASSERTION_LIFETIME_MS ||
      t - CLOCK_SKEW_MS > issued + MAX_ASSERTION_LIFETIME_MS
    )
      throw new SamlRefusal(
        'assertion_lifetime',
        `issued ${assertion.getAttribute('IssueInstant')}, valid to ${new Date(notOnOrAfter).toISOString()}: ` +
          `longer than ${MAX_ASSERTION_LIFETIME_MS / 3600_000} hours`,
      )
    if (t + CLOCK_SKEW_MS < notBefore || t - CLOCK_SKEW_MS >= notOnOrAfter)
      throw new SamlRefusal(
        'time_window',
        `valid ${conditions?.getAttribute('NotBefore')} to ${new Date(notOnOrAfter).toISOString()}`,
      )
    const inResponseTo = root.getAttribute('InResponseTo')
    if (!inResponseTo && !c.allowIdpInitiated) throw new SamlRefusal('missing_in_response_to', 'IdP-initiated')
    const assertionId = assertion.getAttribute('ID')
    if (!assertionId) throw new SamlRefusal('invalid', 'assertion without an ID')

    const email = emailOf(profile.nameID, assertion)
    if (!email) throw new SamlRefusal('no_email', 'neither the NameID nor an attribute is an email address')
    const groups = attributeValues(assertion, GROUP_ATTRIBUTES)
    const role = roleForGroups(readGroupRoles(c.groupRoles), groups, c.defaultRole)
    const name = attributeValues(assertion, NAME_ATTRIBUTES)[0] ?? email.split('@')[0]!

    const organization = await unscopedDb('provider callback').organization.findUniqueOrThrow({
      where: { id: c.organizationId },
      select: { kind: true },
    })
    const signIn = await unscopedDb('provider callback').$transaction(async (tx) => {
      // The request is answered once; the assertion is used once, on any process, until it expires.
      if (inResponseTo) {
        const answered = await tx.samlRequest.deleteMany({
          where: { id: inResponseTo, connectionId: c.id, expiresAt: { gt: now() } },
        })
        if (answered.count !== 1) throw new SamlRefusal('unknown_in_response_to', `InResponseTo ${inResponseTo}`)
      }
      await tx.samlAssertionUse.deleteMany({ where: { expiresAt: { lt: now() } } })
      const fresh = await tx.samlAssertionUse.createMany({
        data: [
          { connectionId: c.id, assertionId, expiresAt: new Date(notOnOrAfter + CLOCK_SKEW_MS), createdAt: now() },
        ],
        skipDuplicates: true,
      })
      if (fresh.count !== 1) throw new SamlRefusal('replay', `assertion ${assertionId} was used before`)
      const user = await tx.user.findUnique({ where: { email }, include: { memberships: true } })
      // An organization's IdP signs in its own people only (decision 018), whatever email it asserts.
      const decision = decideSsoAccount({
        organizationId: c.organizationId,
        organizationKind: organization.kind,
        email,
        domainVerifiedBy: await domainVerifiedBy(email),
        staffDomain: await isStaffDomain(emailDomain(email)),
        user: user && {
          disabled: Boolean(user.disabledAt),
          memberships: user.memberships.map((m) => ({
            organizationId: m.organizationId,
            deactivated: Boolean(m.deactivatedAt),
          })),
        },
      })
      if (decision.kind === 'refuse') throw new SamlRefusal(decision.reason, decision.detail)
      const userId = user?.id ?? newId()
      if (!user) await tx.user.create({ data: { id: userId, email, name, passwordHash: null } })
      const before = user?.memberships.find((m) => m.organizationId === c.organizationId)?.role
      // The groups never demote the organization's last admin: they keep the role, and the log says why.
      const keptAdmin = !!before && !(await keepsAnAdmin(tx, c.organizationId, userId, role))
      const granted = keptAdmin ? before : role
      await tx.membership.upsert({
        where: { userId_organizationId: { userId, organizationId: c.organizationId } },
        create: { id: newId(), userId, organizationId: c.organizationId, role: granted },
        update: { role: granted },
      })
      const session = await createSession(tx, userId, meta)
      await recordAuditEvent(tx, {
        actor: { userId, email },
        organizationId: c.organizationId,
        action: 'user.sso_sign_in',
        targetType: 'user',
        targetId: userId,
        changes: {
          connectionId: c.id,
          created: !user,
          role: granted,
          ...(before && before !== granted && { roleBefore: before }),
          ...(keptAdmin && { keptLastAdmin: true, groupsMapTo: role }),
          groups,
        },
      })
      return { token: session.token, expiresAt: session.expiresAt, userId }
    })
    metrics().samlLogins.inc({ result: 'success', reason: 'none' })
    return { ...signIn, returnTo: safeRedirect(body.RelayState) }
  } catch (err) {
    if (!(err instanceof SamlRefusal)) throw err
    metrics().samlLogins.inc({ result: 'refused', reason: err.reason })
    logger().warn({ connectionId: c.id, reason: err.reason, detail: err.message }, 'SAML response refused')
    await recordAuditEvent(unscopedDb('provider callback'), {
      actor: null,
      organizationId: c.organizationId,
      action: 'sso.refused',
      targetType: 'saml_connection',
      targetId: c.id,
      changes: { reason: err.reason, detail: err.message.slice(0, 500), ip: meta.ip },
    })
    throw err
  }
}

function attributeValues(assertion: Element, names: string[]): string[] {
  return Array.from(assertion.getElementsByTagNameNS(SAML, 'Attribute'))
    .filter((a) => names.includes(a.getAttribute('Name') ?? ''))
    .flatMap((a) =>
      Array.from(a.getElementsByTagNameNS(SAML, 'AttributeValue')).map((v) => v.textContent?.trim() ?? ''),
    )
    .filter(Boolean)
}

const isEmail = (s: string | undefined) => !!s && z.email().safeParse(s).success

function emailOf(nameId: string | undefined, assertion: Element): string | null {
  if (isEmail(nameId)) return nameId!.toLowerCase()
  const attr = attributeValues(assertion, EMAIL_ATTRIBUTES).find(isEmail)
  return attr ? attr.toLowerCase() : null
}
