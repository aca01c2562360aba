import type { Route } from './+types/expense-receipt'
import { rethrowAsResponse } from '#app/lib/forms.server.ts'
import { requireActor } from '#app/lib/session.server.ts'
import { canAsStaff } from '#services/identity/actor.ts'
import { engagementDetail } from '#services/engagements/engagement-views.ts'
import { expenseReceipt, receiptResponse } from '#services/engagements/expense-receipt.ts'
import { tenantScope } from '#services/tenancy/tenant-guard.ts'

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const actor = requireActor(context, request)
  // Who may not open the engagement gets the same 404 as its page.
  const { customer } = await engagementDetail(actor, params.engagementId).catch(rethrowAsResponse)
  const scope = await tenantScope(
    actor,
    { id: customer.id },
    canAsStaff(actor, 'services.manage') ? 'services.manage' : 'time.log',
  ).catch(rethrowAsResponse)
  const x = await expenseReceipt(scope, params.expenseId, { engagementId: params.engagementId }).catch(
    rethrowAsResponse,
  )
  return receiptResponse(x)
}
