import { z } from 'zod'
import { findNulPath, isAppError, NUL_MESSAGE } from '#services/platform/errors/app-error.ts'
import { isUniqueViolation } from '#services/platform/db/unique-violation.ts'
import { SCHEMA, ScimError } from '#services/sso/scim/scim-common.ts'
import { apiTokenScope, type TenantScope } from '#services/tenancy/tenant-guard.ts'

const json = (body: unknown, status = 200) =>
  new Response(body === null ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/scim+json; charset=utf-8', 'Cache-Control': 'no-store' },
  })

/**
 * One SCIM call: the bearer token (an API token with the scim:provision scope) decides the
 * organization; errors answer in SCIM's error shape, never a 500 for what the client sent.
 */
export async function scim(
  request: Request,
  handle: (scope: TenantScope, body: () => Promise<unknown>) => Promise<{ status?: number; body: unknown }>,
): Promise<Response> {
  try {
    const scope = await apiTokenScope(request.headers.get('Authorization'), 'scim:provision')
    const body = async () => {
      let parsed: unknown
      try {
        parsed = await request.json()
      } catch {
        throw new ScimError(400, 'The body is not JSON.', 'invalidSyntax')
      }
      // PostgreSQL text cannot hold U+0000: refused here, before any value is stored (a nesting bomb too).
      const nul = findNulPath(parsed)
      if (nul) throw new ScimError(400, `${nul}: ${NUL_MESSAGE}`, 'invalidValue')
      return parsed
    }
    const r = await handle(scope, body)
    return json(r.body, r.status ?? 200)
  } catch (e) {
    if (e instanceof ScimError) return json(e.body(), e.status)
    if (isAppError(e)) return json({ schemas: [SCHEMA.error], status: String(e.status), detail: e.message }, e.status)
    // What the client sent, caught where a service parsed it or the database refused it: still a 4xx.
    if (e instanceof z.ZodError) {
      const i = e.issues[0]!
      return json(new ScimError(400, `${i.path.join('.') || 'value'}: ${i.message}`, 'invalidValue').body(), 400)
    }
    if (isUniqueViolation(e))
      return json(
        new ScimError(409, 'That would duplicate an existing user, group or member.', 'uniqueness').body(),
        409,
      )
    throw e
  }
}

export const methodNotAllowed = () => new ScimError(405, 'Method not allowed here.')
