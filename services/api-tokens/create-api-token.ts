import { z } from 'zod'
import { AppError } from '../platform/errors/app-error.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { apiScopes, DEFAULT_TOKEN_LIFETIME_DAYS, tokenLifetimesDays } from './api-tokens.ts'
import { issueApiToken } from './issue-api-token.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

/** How long a token lives, from a fixed list (a form sends it as text). */
export const tokenLifetimeSchema = z.coerce
  .number()
  .refine((d) => tokenLifetimesDays.some((t) => t === d), {
    message: `Choose ${tokenLifetimesDays.slice(0, -1).join(', ')} or ${tokenLifetimesDays.at(-1)} days.`,
  })
  .default(DEFAULT_TOKEN_LIFETIME_DAYS)

export const createTokenSchema = z.object({
  name: z.string().trim().min(2, 'Name the token after what uses it, like “ERP nightly export”.').max(80),
  scopes: z.array(z.enum(apiScopes)).min(1, 'Choose at least one permission.'),
  expiresInDays: tokenLifetimeSchema,
})

const SCIM_FROM_SSO_PAGE =
  'Create a provisioning (SCIM) token on the single sign-on page, where the SCIM address is shown with it.'

/** Creates a token for the reports API; its secret is returned once and never stored. */
export async function createApiToken(scope: TenantScope, input: z.input<typeof createTokenSchema>) {
  assertCan(scope, 'api_tokens.create')
  const { name, scopes, expiresInDays } = parseInput(createTokenSchema, input)
  // Provisioning rewrites who belongs to the organization: only whoever configures SSO may hand it out.
  if (scopes.includes('scim:provision'))
    throw new AppError('invalid_input', SCIM_FROM_SSO_PAGE, { scopes: [SCIM_FROM_SSO_PAGE] })
  return issueApiToken(scope, { name, scopes, expiresInDays })
}
