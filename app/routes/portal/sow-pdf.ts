import type { Route } from './+types/sow-pdf'
import { rethrowAsResponse } from '#app/lib/forms.server.ts'
import { requireTenant } from '#app/lib/tenant.server.ts'
import { signedSow } from '#services/engagements/signed-sow.ts'

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await requireTenant(context, request, params.orgSlug, 'engagements.view')
  return signedSow(scope, params.engagementId).catch(rethrowAsResponse)
}
