import { z } from 'zod'
import { randomBytes } from 'node:crypto'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { sha256 } from '../identity/tokens.ts'
import { newId } from '../db/ids.ts'
import { recordAuditEvent, auditActorOf } from '../audit/record-audit-event.ts'
import { apiScopes, API_TOKEN_PREFIX } from './api-tokens.ts'

export const createTokenSchema = z.object({
  name: z.string().trim().min(2, 'Name the token after what uses it, like “ERP nightly export”.').max(80),
  scopes: z.array(z.enum(apiScopes)).min(1, 'Choose at least one permission.'),
})
/** Creates a token; its secret is returned once and never stored. Scope: team.manage. */
export async function createApiToken(scope: TenantScope, input: z.input<typeof createTokenSchema>) {
  assertCan(scope, 'api_tokens.create')
  const { name, scopes } = createTokenSchema.parse(input)
  const secret = `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`
  const id = newId()
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
      },
    })
    await recordAuditEvent(tx, {
      actor: auditActorOf(scope),
      organizationId: scope.organization.id,
      action: 'api_token.create',
      targetType: 'api_token',
      targetId: id,
      changes: { after: { name, scopes } },
    })
  })
  return { id, secret }
}
