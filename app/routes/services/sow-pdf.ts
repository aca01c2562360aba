import type { Route } from './+types/sow-pdf'
import { rethrowAsResponse } from '#app/lib/forms.server.ts'
import { requireActor } from '#app/lib/session.server.ts'
import { canAsStaff } from '#services/identity/actor.ts'
import { engagementDetail } from '#services/engagements/engagement-views.ts'
import { signedSow } from '#services/engagements/signed-sow.ts'
import { tenantScope } from '#services/tenancy/tenant-guard.ts'

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const actor = requireActor(context, request)
  const { customer } = await engagementDetail(actor, params.engagementId).catch(rethrowAsResponse)
  const scope = await tenantScope(
    actor,
    { id: customer.id },
    canAsStaff(actor, 'services.manage') ? 'services.manage' : 'time.log',
  ).catch(rethrowAsResponse)
  return signedSow(scope, params.engagementId).catch(rethrowAsResponse)
}
