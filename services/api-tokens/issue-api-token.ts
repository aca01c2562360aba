import { randomBytes } from 'node:crypto'
import { recordAuditEvent, auditActorOf } from '../platform/audit/record-audit-event.ts'
import { newId } from '../platform/db/ids.ts'
import { sha256 } from '../identity/tokens.ts'
import { now } from '../platform/clock.ts'
import type { TenantScope } from '../tenancy/tenant-guard.ts'
import { API_TOKEN_PREFIX, type ApiScope } from './api-tokens.ts'

const DAY_MS = 86_400_000

/**
 * Stores a new token and audits it, for the use cases that decided who may make which one
 * (create-api-token.ts, create-scim-token.ts). The secret is returned once and never stored.
 */
export async function issueApiToken(
  scope: TenantScope,
  token: { name: string; scopes: ApiScope[]; expiresInDays: number },
): Promise<{ id: string; secret: string; expiresAt: Date }> {
  const { name, scopes } = token
  const secret = `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`
  const id = newId()
  const expiresAt = new Date(now().getTime() + token.expiresInDays * DAY_MS)
  await scope.db.$transaction(async (tx) => {
    await tx.apiToken.create({
      data: {
        id,
        organizationId: scope.organization.id,
        name,
        prefix: secret.slice(0, API_TOKEN_PREFIX.length + 6),
        tokenHash: sha256(secret),
        scopes,
        createdById: scope.actor.userId,
        expiresAt,
      },
    })
    await recordAuditEvent(tx, {
      actor: auditActorOf(scope),
      organizationId: scope.organization.id,
      action: 'api_token.create',
      targetType: 'api_token',
      targetId: id,
      changes: { after: { name, scopes, expiresAt: expiresAt.toISOString() } },
    })
  })
  return { id, secret, expiresAt }
}
