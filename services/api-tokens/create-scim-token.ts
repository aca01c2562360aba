import { z } from 'zod'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { tokenLifetimeSchema } from './create-api-token.ts'
import { issueApiToken } from './issue-api-token.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

export const createScimTokenSchema = z.object({
  name: z.string().trim().min(2, 'Name the token after your identity provider, like “Okta provisioning”.').max(80),
  expiresInDays: tokenLifetimeSchema,
})

/** The identity provider's SCIM token: exactly scim:provision, made by whoever configures SSO (issue 25). */
export async function createScimToken(scope: TenantScope, input: z.input<typeof createScimTokenSchema>) {
  assertCan(scope, 'sso.configure')
  const { name, expiresInDays } = parseInput(createScimTokenSchema, input)
  return issueApiToken(scope, { name, scopes: ['scim:provision'], expiresInDays })
}
