import type { Route } from './+types/invoice-pdf'
import { rethrowAsResponse } from '#app/lib/forms.server.ts'
import { requireTenant } from '#app/lib/tenant.server.ts'
import { invoiceDetail } from '#services/billing/invoice-detail.ts'
import { renderInvoicePdf } from '#services/billing/render-invoice-pdf.ts'
import { billingParty } from '#services/organizations/billing-party.ts'

// /portal/<partner>/invoices/<id>/invoice.pdf
export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await requireTenant(context, request, params.orgSlug, 'invoices.view')
  const invoice = await invoiceDetail(scope, params.invoiceId).catch(rethrowAsResponse)
  const pdf = await renderInvoicePdf(await billingParty(scope), invoice)
  return new Response(new Uint8Array(pdf), {
    headers: {
      'Content-Type': 'application/pdf',
      'Content-Disposition': `inline; filename="invoice-${invoice.number.replace(/[^A-Za-z0-9-]/g, '')}.pdf"`,
    },
  })
}
