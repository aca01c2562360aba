import { now } from '../platform/clock.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { readApiScopes } from './api-tokens.ts'

export async function listApiTokens(scope: TenantScope) {
  assertCan(scope, 'api_tokens.view')
  const tokens = await scope.db.apiToken.findMany({ orderBy: { createdAt: 'desc' } })
  const at = now()
  return tokens.map((t) => ({
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    scopes: readApiScopes(t.scopes),
    createdAt: t.createdAt.toISOString(),
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
    expiresAt: t.expiresAt.toISOString(),
    expired: t.expiresAt <= at,
  }))
}
