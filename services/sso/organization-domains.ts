import { Resolver } from 'node:dns/promises'
import { z } from 'zod'
import { auditActorOf, recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { env } from '../platform/config/env.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { isStaffDomain } from '../identity/identity-owner.ts'
import { now } from '../platform/clock.ts'
import { macOf } from '../platform/security/platform-secret.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

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

/**
 * The organization's admin claims an email domain; it counts for nothing until verified. An unverified
 * claim blocks nobody: another organization's claim of it gives way to this one, and whoever shows
 * their TXT record in DNS verifies it (verifyDomain), so nobody can squat on a domain its owner needs.
 * Only a verified domain, or a ggml staff domain, is refused.
 */
export async function claimDomain(scope: TenantScope, input: z.input<typeof domainSchema>) {
  assertCan(scope, 'sso.configure')
  const { domain } = parseDomain(input)
  if (scope.organization.kind !== 'ggml' && (await isStaffDomain(domain)))
    throw new AppError('forbidden', `${domain} is a ggml staff domain and cannot be claimed.`, {
      domain: [`${domain} is ggml's own domain.`],
    })
  const taken = await unscopedDb('uniqueness').organizationDomain.findUnique({ where: { domain } })
  if (taken?.verifiedAt && taken.organizationId !== scope.organization.id)
    throw new AppError('conflict', `${domain} is verified by another organization. Ask ggml support if it is yours.`, {
      domain: [`${domain} is verified by another organization.`],
    })
  if (!taken || taken.organizationId !== scope.organization.id) await takeClaim(scope, domain, taken, false)
  return { domain, record: verificationRecord(scope.organization.id, domain) }
}

// Unscoped on purpose: an unverified claim may be another organization's, and gives way to this one.
async function takeClaim(
  scope: TenantScope,
  domain: string,
  taken: { organizationId: string; verifiedAt: Date | null } | null,
  verified: boolean,
) {
  await unscopedDb('uniqueness').$transaction(async (tx) => {
    if (taken) await tx.organizationDomain.deleteMany({ where: { domain, verifiedAt: null } })
    const created = await tx.organizationDomain.createMany({
      data: [
        {
          domain,
          organizationId: scope.organization.id,
          createdById: scope.actor.userId,
          createdAt: now(),
          verifiedAt: verified ? now() : null,
        },
      ],
      skipDuplicates: true,
    })
    if (created.count !== 1)
      throw new AppError('conflict', `${domain} was just verified by another organization.`, {
        domain: [`${domain} was just verified by another organization.`],
      })
    await audit(scope, tx, verified ? 'domain.verify' : 'domain.claim', domain, {
      ...(taken && { replacedUnverifiedClaimOf: taken.organizationId }),
    })
  })
}

const parseDomain = (input: z.input<typeof domainSchema>) => {
  const parsed = domainSchema.safeParse(input)
  if (!parsed.success)
    throw new AppError('invalid_input', 'Check the domain.', { domain: [parsed.error.issues[0]!.message] })
  return parsed.data
}

/**
 * Looks the TXT record up in DNS; when it is there, the domain is verified for this organization,
 * whoever holds an unverified claim of it: the proof decides, not who claimed first.
 */
export async function verifyDomain(scope: TenantScope, input: z.input<typeof domainSchema>) {
  assertCan(scope, 'sso.configure')
  const { domain } = parseDomain(input)
  const expected = verificationRecord(scope.organization.id, domain)
  const records = await resolver()
    .resolveTxt(domain)
    .then((r) => r.map((parts) => parts.join('')))
    .catch((): string[] => [])
  if (!records.includes(expected))
    throw new AppError(
      'conflict',
      `No TXT record “${expected}” on ${domain} yet. DNS changes can take a while to show.`,
    )
  const taken = await unscopedDb('uniqueness').organizationDomain.findUnique({ where: { domain } })
  if (taken?.organizationId === scope.organization.id) {
    if (taken.verifiedAt) return
    await scope.db.$transaction(async (tx) => {
      await tx.organizationDomain.update({ where: { domain }, data: { verifiedAt: now() } })
      await audit(scope, tx, 'domain.verify', domain)
    })
    return
  }
  if (taken?.verifiedAt)
    throw new AppError('conflict', `${domain} is verified by another organization. Ask ggml support if it is yours.`)
  if (scope.organization.kind !== 'ggml' && (await isStaffDomain(domain)))
    throw new AppError('forbidden', `${domain} is a ggml staff domain and cannot be claimed.`)
  await takeClaim(scope, domain, taken, true)
}

/** A verified domain may require SSO: password sign-in for its emails is then refused. */
export async function setDomainSso(scope: TenantScope, input: z.input<typeof domainSchema> & { requireSso: boolean }) {
  assertCan(scope, 'sso.configure')
  const { domain } = parseInput(domainSchema, input)
  const d = await scope.db.organizationDomain.findFirst({ where: { domain } })
  if (!d?.verifiedAt) throw new AppError('conflict', 'Verify the domain before requiring single sign-on for it.')
  if (input.requireSso && !(await scope.db.samlConnection.count({ where: { enabled: true } })))
    throw new AppError('conflict', 'Add an enabled SAML connection first, or nobody of this domain could sign in.')
  await scope.db.$transaction(async (tx) => {
    await tx.organizationDomain.update({ where: { domain }, data: { requireSso: input.requireSso } })
    await audit(scope, tx, 'domain.require_sso', domain, { requireSso: input.requireSso })
  })
}
