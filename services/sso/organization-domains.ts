import { Resolver } from 'node:dns/promises'
import { z } from 'zod'
import { auditActorOf, recordAuditEvent } from '../audit/record-audit-event.ts'
import { env } from '../config/env.ts'
import { db } from '../db/client.ts'
import { AppError } from '../errors/app-error.ts'
import { isStaffDomain } from '../identity/identity-owner.ts'
import { now, nowMs } from '../platform/clock.ts'
import { macOf } from '../security/platform-secret.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'

export const domainSchema = z.object({
  domain: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/, 'Enter a domain like example.com.')
    .max(253),
})

/** The TXT record that proves an organization controls a domain: bound to both, never guessable. */
export const verificationRecord = (organizationId: string, domain: string) =>
  `ggml-platform-verification=${macOf('domain-verification', `${organizationId}:${domain}`).slice(0, 32)}`

const resolver = () => {
  const r = new Resolver({ timeout: 3000, tries: 2 })
  const servers = env().DNS_SERVERS
  if (servers) r.setServers(servers.split(','))
  return r
}

const audit = (
  scope: TenantScope,
  tx: Parameters<typeof recordAuditEvent>[0],
  action: string,
  domain: string,
  changes = {},
) =>
  recordAuditEvent(tx, {
    actor: auditActorOf(scope),
    organizationId: scope.organization.id,
    action,
    targetType: 'domain',
    targetId: domain,
    changes,
  })

/** How long an unverified claim holds a domain: then anyone who can prove it may claim it. */
export const CLAIM_TTL_MS = 3 * 24 * 3600_000

export const claimLapsed = (d: { verifiedAt: Date | null; createdAt: Date }) =>
  !d.verifiedAt && nowMs() - d.createdAt.getTime() >= CLAIM_TTL_MS

/**
 * The organization's admin claims an email domain; it counts for nothing until verified, and an
 * unverified claim lapses after three days, so nobody can squat on a domain its owner needs.
 */
export async function claimDomain(scope: TenantScope, input: z.input<typeof domainSchema>) {
  assertCan(scope, 'sso.configure')
  const parsed = domainSchema.safeParse(input)
  if (!parsed.success)
    throw new AppError('invalid_input', 'Check the domain.', { domain: [parsed.error.issues[0]!.message] })
  const { domain } = parsed.data
  if (scope.organization.kind !== 'ggml' && (await isStaffDomain(domain)))
    throw new AppError('forbidden', `${domain} is a ggml staff domain and cannot be claimed.`, {
      domain: [`${domain} is ggml's own domain.`],
    })
  const taken = await db().organizationDomain.findUnique({ where: { domain } })
  if (taken && taken.organizationId !== scope.organization.id && !claimLapsed(taken))
    throw new AppError(
      'conflict',
      taken.verifiedAt
        ? `${domain} is verified by another organization. Ask ggml support if it is yours.`
        : `${domain} is claimed by another organization, unverified, until ` +
            `${new Date(taken.createdAt.getTime() + CLAIM_TTL_MS).toISOString().slice(0, 10)}; ` +
            `claim it again after that, or ask ggml support.`,
    )
  if (taken && !claimLapsed(taken)) return { domain, record: verificationRecord(scope.organization.id, domain) }
  // Unscoped on purpose: a lapsed claim may be another organization's, and gives way to this one.
  await db().$transaction(async (tx) => {
    if (taken) await tx.organizationDomain.deleteMany({ where: { domain, verifiedAt: null } })
    await tx.organizationDomain.create({
      data: { domain, organizationId: scope.organization.id, createdById: scope.actor.userId, createdAt: now() },
    })
    await audit(scope, tx, 'domain.claim', domain, taken ? { replacedLapsedClaimOf: taken.organizationId } : {})
  })
  return { domain, record: verificationRecord(scope.organization.id, domain) }
}

/** Looks the TXT record up in DNS; when it is there, the domain is verified. */
export async function verifyDomain(scope: TenantScope, input: z.input<typeof domainSchema>) {
  assertCan(scope, 'sso.configure')
  const { domain } = domainSchema.parse(input)
  const d = await scope.db.organizationDomain.findFirst({ where: { domain } })
  if (!d) throw new AppError('not_found', 'Claim the domain first.')
  const expected = verificationRecord(scope.organization.id, domain)
  const records = await resolver()
    .resolveTxt(domain)
    .then((r) => r.map((parts) => parts.join('')))
    .catch(() => [] as string[])
  if (!records.includes(expected))
    throw new AppError(
      'conflict',
      `No TXT record “${expected}” on ${domain} yet. DNS changes can take a while to show.`,
    )
  await scope.db.$transaction(async (tx) => {
    await tx.organizationDomain.update({ where: { domain }, data: { verifiedAt: now() } })
    await audit(scope, tx, 'domain.verify', domain)
  })
}

/** A verified domain may require SSO: password sign-in for its emails is then refused. */
export async function setDomainSso(scope: TenantScope, input: z.input<typeof domainSchema> & { requireSso: boolean }) {
  assertCan(scope, 'sso.configure')
  const { domain } = domainSchema.parse(input)
  const d = await scope.db.organizationDomain.findFirst({ where: { domain } })
  if (!d?.verifiedAt) throw new AppError('conflict', 'Verify the domain before requiring single sign-on for it.')
  if (input.requireSso && !(await scope.db.samlConnection.count({ where: { enabled: true } })))
    throw new AppError('conflict', 'Add an enabled SAML connection first, or nobody of this domain could sign in.')
  await scope.db.$transaction(async (tx) => {
    await tx.organizationDomain.update({ where: { domain }, data: { requireSso: input.requireSso } })
    await audit(scope, tx, 'domain.require_sso', domain, { requireSso: input.requireSso })
  })
}

/** Where a person whose email domain requires SSO must sign in instead, or null. */
export async function ssoRequiredFor(email: string): Promise<{ organizationSlug: string } | null> {
  const domain = email.split('@')[1]?.toLowerCase()
  if (!domain) return null
  const d = await db().organizationDomain.findUnique({
    where: { domain },
    include: { organization: { select: { slug: true } } },
  })
  return d?.verifiedAt && d.requireSso ? { organizationSlug: d.organization.slug } : null
}
