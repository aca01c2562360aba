import type { Route } from './+types/expense-receipt'
import { rethrowAsResponse } from '#app/lib/forms.server.ts'
import { requireTenant } from '#app/lib/tenant.server.ts'
import { expenseReceipt, receiptResponse } from '#services/engagements/expense-receipt.ts'

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await requireTenant(context, request, params.orgSlug, 'engagements.view')
  return receiptResponse(await expenseReceipt(scope, params.expenseId, { approved: true }).catch(rethrowAsResponse))
}
