import type { RouterContextProvider } from 'react-router'
import type { Permission } from '#services/identity/permissions.ts'
import { tenantScope, type TenantScope } from '#services/tenancy/tenant-guard.ts'
import { rethrowAsResponse } from './forms.server.ts'
import { requireActor } from './session.server.ts'

/** Route glue around the tenancy guard: signed in, then scoped to the organization in the URL. */
export async function requireTenant(
  context: Readonly<RouterContextProvider>,
  request: Request,
  orgSlug: string,
  permission: Permission,
): Promise<TenantScope> {
  const actor = requireActor(context, request)
  return tenantScope(actor, { slug: orgSlug }, permission).catch(rethrowAsResponse)
}

/** What a tenant page shows of its organization: the name in its header, the slug in its links. */
export const pageOrganization = (scope: TenantScope) => ({
  organization: scope.organization.name,
  orgSlug: scope.organization.slug,
})
