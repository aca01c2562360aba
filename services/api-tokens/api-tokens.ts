import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import { recordAuditEvent } from '../audit/record-audit-event.ts'
import { newId } from '../db/ids.ts'
import { AppError } from '../errors/app-error.ts'
import { sha256 } from '../identity/tokens.ts'
import type { TenantScope } from '../tenancy/tenant-guard.ts'
import { now } from '../platform/clock.ts'

export const apiScopes = ['reports:write', 'reports:read'] as const
export type ApiScope = (typeof apiScopes)[number]

export const createTokenSchema = z.object({
  name: z.string().trim().min(2, 'Name the token after what uses it, like “ERP nightly export”.').max(80),
  scopes: z.array(z.enum(apiScopes)).min(1, 'Choose at least one permission.'),
})

export const API_TOKEN_PREFIX = 'ggml_pat_'
const PREFIX = API_TOKEN_PREFIX

/** Creates a token; its secret is returned once and never stored. Scope: team.manage. */
export async function createApiToken(scope: TenantScope, input: z.input<typeof createTokenSchema>) {
  const { name, scopes } = createTokenSchema.parse(input)
  const secret = `${PREFIX}${randomBytes(32).toString('base64url')}`
  const id = newId()
  await scope.db.$transaction(async (tx) => {
    await tx.apiToken.create({
      data: {
        id,
        organizationId: scope.organization.id,
        name,
        prefix: secret.slice(0, PREFIX.length + 6),
        tokenHash: sha256(secret),
        scopes,
        createdById: scope.actor.userId,
      },
    })
    await recordAuditEvent(tx, {
      actor: { userId: scope.actor.userId, email: scope.actor.email },
      organizationId: scope.organization.id,
      action: 'api_token.create',
      targetType: 'api_token',
      targetId: id,
      changes: { after: { name, scopes } },
    })
  })
  return { id, secret }
}

export async function revokeApiToken(scope: TenantScope, tokenId: string) {
  const token = await scope.db.apiToken.findUnique({ where: { id: tokenId } })
  if (!token || token.revokedAt) throw new AppError('not_found', 'No active token with that id.')
  await scope.db.$transaction(async (tx) => {
    await tx.apiToken.update({ where: { id: tokenId }, data: { revokedAt: now() } })
    await recordAuditEvent(tx, {
      actor: { userId: scope.actor.userId, email: scope.actor.email },
      organizationId: scope.organization.id,
      action: 'api_token.revoke',
      targetType: 'api_token',
      targetId: tokenId,
      changes: { before: { name: token.name } },
    })
  })
}

export async function listApiTokens(scope: TenantScope) {
  const tokens = await scope.db.apiToken.findMany({ orderBy: { createdAt: 'desc' } })
  return tokens.map((t) => ({
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    scopes: t.scopes as ApiScope[],
    createdAt: t.createdAt.toISOString(),
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
  }))
}
